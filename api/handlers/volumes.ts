import type { RouteTable } from '../types';

export function routes(_r: RouteTable): void {}
