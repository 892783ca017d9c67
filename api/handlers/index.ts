// Every handlers module's routes, in one table.
import type { RouteTable } from '../types';
import * as system from './system';
import * as containers from './containers';
import * as containerIo from './container-io';
import * as exec from './exec';
import * as images from './images';
import * as build from './build';
import * as networks from './networks';
import * as volumes from './volumes';

export function allRoutes(r: RouteTable): void {
  for (const m of [system, containers, containerIo, exec, images, build, networks, volumes]) m.routes(r);
}
