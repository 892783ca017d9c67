// Every command class, registered once by src/main.ts. Aliases are extra paths on one class.
import type { CommandClass } from 'clipanion';
import HelpCommand from './help';
import InfoCommand from './info';
import VersionCommand from './version';
import SystemCheckCommand from './system/check';
import SystemMigrateCommand from './system/migrate';
import SystemDfCommand from './system/df';
import SystemPruneCommand from './system/prune';
import SystemResetCommand from './system/reset';
import SystemServiceCommand from './system/service';
import UnshareCommand from './unshare';
import ImportCommand from './image/import';
import ImagesCommand from './image/list';
import RmiCommand from './image/rm';
import ImageInspectCommand from './image/inspect';
import ImageMountCommand from './image/mount';
import ImageUnmountCommand from './image/unmount';
import PullCommand from './image/pull';
import PushCommand from './image/push';
import SaveCommand from './image/save';
import SearchCommand from './image/search';
import ImagePruneCommand from './image/prune';
import LoadCommand from './image/load';
import TagCommand from './image/tag';
import UntagCommand from './image/untag';
import ImageExistsCommand from './image/exists';
import ImageHistoryCommand from './image/history';
import BuildCommand from './image/build';
import BuilderPruneCommand from './builder/prune';
import ContainerCreateCommand from './container/create';
import ContainerRunCommand from './container/run';
import ContainerStartCommand from './container/start';
import ContainerStopCommand from './container/stop';
import ContainerKillCommand from './container/kill';
import ContainerRmCommand from './container/rm';
import ContainerPsCommand from './container/ps';
import ContainerLogsCommand from './container/logs';
import ContainerAttachCommand from './container/attach';
import ContainerExecCommand from './container/exec';
import ContainerInspectCommand from './container/inspect';
import InspectCommand from './inspect';
import ContainerWaitCommand from './container/wait';
import ContainerExistsCommand from './container/exists';
import ContainerCleanupCommand from './container/cleanup';
import HealthcheckRunCommand from './healthcheck/run';
import HealthcheckEventCommand from './healthcheck/event';
import ContainerRestartCommand from './container/restart';
import ContainerRenameCommand from './container/rename';
import ContainerPruneCommand from './container/prune';
import ContainerTopCommand from './container/top';
import ContainerDiffCommand from './container/diff';
import ContainerCpCommand from './container/cp';
import ContainerExportCommand from './container/export';
import ContainerMountCommand from './container/mount';
import ContainerUnmountCommand from './container/unmount';
import PodCreateCommand from './pod/create';
import PodStartCommand from './pod/start';
import PodStopCommand from './pod/stop';
import PodRestartCommand from './pod/restart';
import PodKillCommand from './pod/kill';
import PodPauseCommand from './pod/pause';
import PodUnpauseCommand from './pod/unpause';
import PodRmCommand from './pod/rm';
import PodPruneCommand from './pod/prune';
import PodExistsCommand from './pod/exists';
import VolumeCreateCommand from './volume/create';
import VolumeLsCommand from './volume/ls';
import VolumeInspectCommand from './volume/inspect';
import VolumeRmCommand from './volume/rm';
import VolumePruneCommand from './volume/prune';
import VolumeExistsCommand from './volume/exists';
import SecretCreateCommand from './secret/create';
import SecretLsCommand from './secret/ls';
import SecretInspectCommand from './secret/inspect';
import SecretRmCommand from './secret/rm';
import SecretExistsCommand from './secret/exists';
import { VolumeExportCommand, VolumeImportCommand } from './volume/export';
import { VolumeMountCommand, VolumeReloadCommand, VolumeUnmountCommand } from './volume/mount';
import NetworkReloadCommand from './network/reload';
import NetworkUpdateCommand from './network/update';
import NetworkCreateCommand from './network/create';
import NetworkLsCommand from './network/ls';
import NetworkInspectCommand from './network/inspect';
import NetworkRmCommand from './network/rm';
import NetworkPruneCommand from './network/prune';
import NetworkExistsCommand from './network/exists';
import { NetworkConnectCommand, NetworkDisconnectCommand } from './network/connect';
import ContainerPortCommand from './container/port';
import ContainerStatsCommand from './container/stats';
import ContainerCommitCommand from './container/commit';
import { ContainerPauseCommand, ContainerUnpauseCommand } from './container/pause';
import ContainerInitCommand from './container/init';
import ContainerUpdateCommand from './container/update';
import ImageDiffCommand from './image/diff';
import ImageTreeCommand from './image/tree';
import ManifestCreateCommand from './manifest/create';
import ManifestAddCommand from './manifest/add';
import ManifestAnnotateCommand from './manifest/annotate';
import ManifestInspectCommand from './manifest/inspect';
import ManifestPushCommand from './manifest/push';
import ManifestRmCommand from './manifest/rm';
import ManifestExistsCommand from './manifest/exists';
import ManifestRemoveCommand from './manifest/remove';
import EventsCommand from './events';
import LoginCommand from './login';
import LogoutCommand from './logout';
import GenerateSystemdCommand from './generate/systemd';
import KubePlayCommand from './kube/play';
import KubeDownCommand from './kube/down';
import GenerateQuadletCommand from './generate/quadlet';
import QuadletCommand from './quadlet';
import KubeGenerateCommand from './kube/generate';
import CompletionCommand from './completion';
import CompleteCommand from './complete';
import PodPsCommand from './pod/ps';
import PodInspectCommand from './pod/inspect';
import PodLogsCommand from './pod/logs';
import PodTopCommand from './pod/top';
import PodStatsCommand from './pod/stats';
import PodCloneCommand from './pod/clone';
import { composeCommands } from './compose/index';

export function allCommands(): CommandClass[] {
  return [
    HelpCommand,
    InfoCommand,
    VersionCommand,
    SystemCheckCommand,
    SystemMigrateCommand,
    SystemDfCommand,
    SystemPruneCommand,
    SystemResetCommand,
    SystemServiceCommand,
    UnshareCommand,
    ImportCommand,
    ImagesCommand,
    RmiCommand,
    ImageInspectCommand,
    ImageMountCommand,
    ImageUnmountCommand,
    PullCommand,
    PushCommand,
    SaveCommand,
    SearchCommand,
    ImagePruneCommand,
    LoadCommand,
    TagCommand,
    UntagCommand,
    ImageExistsCommand,
    ImageHistoryCommand,
    BuildCommand,
    BuilderPruneCommand,
    LoginCommand,
    EventsCommand,
    ContainerRestartCommand,
    ContainerRenameCommand,
    ContainerPruneCommand,
    ContainerTopCommand,
    ContainerDiffCommand,
    ContainerCpCommand,
    ContainerExportCommand,
    ContainerMountCommand,
    ContainerUnmountCommand,
    PodCreateCommand,
    PodStartCommand,
    PodStopCommand,
    PodRestartCommand,
    PodKillCommand,
    PodPauseCommand,
    PodUnpauseCommand,
    PodRmCommand,
    PodPruneCommand,
    PodExistsCommand,
    VolumeCreateCommand,
    VolumeLsCommand,
    VolumeInspectCommand,
    VolumeRmCommand,
    VolumePruneCommand,
    VolumeExistsCommand,
    VolumeExportCommand,
    VolumeImportCommand,
    VolumeMountCommand,
    VolumeUnmountCommand,
    VolumeReloadCommand,
    SecretCreateCommand,
    SecretLsCommand,
    SecretInspectCommand,
    SecretRmCommand,
    SecretExistsCommand,
    NetworkCreateCommand,
    NetworkLsCommand,
    NetworkInspectCommand,
    NetworkRmCommand,
    NetworkPruneCommand,
    NetworkExistsCommand,
    NetworkConnectCommand,
    NetworkDisconnectCommand,
    NetworkReloadCommand,
    NetworkUpdateCommand,
    ContainerPortCommand,
    ContainerStatsCommand,
    ContainerCommitCommand,
    ContainerPauseCommand,
    ContainerUnpauseCommand,
    ContainerInitCommand,
    ContainerUpdateCommand,
    ImageDiffCommand,
    ImageTreeCommand,
    ManifestCreateCommand,
    ManifestAddCommand,
    ManifestAnnotateCommand,
    ManifestInspectCommand,
    ManifestPushCommand,
    ManifestRmCommand,
    ManifestExistsCommand,
    ManifestRemoveCommand,
    PodPsCommand,
    PodInspectCommand,
    PodLogsCommand,
    PodTopCommand,
    PodStatsCommand,
    PodCloneCommand,
    ContainerCreateCommand,
    ContainerRunCommand,
    ContainerStartCommand,
    ContainerStopCommand,
    ContainerKillCommand,
    ContainerRmCommand,
    ContainerPsCommand,
    ContainerLogsCommand,
    ContainerAttachCommand,
    ContainerExecCommand,
    ContainerInspectCommand,
    InspectCommand,
    ContainerWaitCommand,
    ContainerExistsCommand,
    ContainerCleanupCommand,
    HealthcheckRunCommand,
    HealthcheckEventCommand,
    LogoutCommand,
    CompletionCommand,
    CompleteCommand,
    GenerateSystemdCommand,
    KubePlayCommand,
    KubeDownCommand,
    GenerateQuadletCommand,
    QuadletCommand,
    KubeGenerateCommand,
    ...composeCommands(),
  ] as unknown as CommandClass[];
}
