// What commands (and, later, the API server) exchange with the engine besides the facade: the
// options each operation takes and the reports it gives back. Types only; commands import
// libpod through this file and engine.ts, nothing else.
export type { CreateOptions } from './container/create-spec';
export type { ImageSummary } from './image-engine';
export type { EventRow as EventReport } from './state/state';
export type { ListContainer, PsReport, PsSummary } from './container/container-report';
export type { ListPodsReport } from './pod/pod-report';
export type { PodLogOptions, PodStatsRow } from './pod/pod-views';
export type { InspectOptions, Inspected } from './inspect-objects';
export type { DfReport } from './system-engine';
export type { BuildIo, BuildOptions, BuildPruneReport, BuildReport, BuildSecret } from './build/types';
export type { KubePlayOptions, KubePlayReport, KubeDownOptions, KubeDownReport } from './kube/play-types';
export type { PodCreateOptions, PodReport } from './pod/types';
export type { PodSelection } from './pod/pod-lifecycle';
export type { Project, ProjectOptions, ServiceConfig } from './compose/types';
