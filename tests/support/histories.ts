import fs from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import * as workflows from '../../workflows';

/**
 * The saved workflow histories, all in one folder (tests/replay/histories/):
 *
 * - `<workflowType>.json`: the latest recorded run of each workflow (scripts/record-histories.ts writes them),
 *   replayed by tests/integration/replay.test.ts;
 * - `<workflowType>.<what>.json|.bin`: a run kept on purpose by the test that replays it, e.g. a run from before
 *   a patch (clickbankNotificationWorkflow.pre-bonus.json) or a full review journey
 *   (contentPipelineWorkflow.revise-approve.bin, binary protobuf).
 */
export const HISTORIES_DIR = path.resolve(__dirname, '../replay/histories');

export const historyPath = (file: string): string => path.join(HISTORIES_DIR, file);

/** `<workflowType>.json` (no second dot): the latest recorded run of a workflow, not a run kept on purpose. */
export const latestRunWorkflowType = (file: string): string | undefined => /^(\w+)\.json$/.exec(file)?.[1];

/**
 * The workflow functions the workers run: every function exported from workflows/index.ts whose name ends in
 * `Workflow` (the house naming rule). Loading the module outside the workflow sandbox is safe: at import time
 * it only defines activity proxies, queries and updates.
 */
export function exportedWorkflowNames(): string[] {
  return Object.entries(workflows)
    .filter(([name, value]) => typeof value === 'function' && name.endsWith('Workflow'))
    .map(([name]) => name)
    .sort();
}

/**
 * History <-> Temporal's JSON history format (the one `temporal workflow show --output json` writes).
 *
 * Why not historyToJSON/historyFromJSON from @temporalio/common: in this install @temporalio/common and
 * @temporalio/proto each carry their own copy of protobufjs 8 (the top level holds protobufjs 7 for grpc), and
 * the SDK helpers pass a type from one copy to the protojson of the other ("type must be a Type"). Here the
 * protojson extension is loaded from the copy @temporalio/proto itself resolves, so both sides match.
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}
interface Root {
  lookupType(name: string): unknown;
}

const protoDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from @temporalio/proto's own folder
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [protoDir] })) as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as Root).lookupType(
  'temporal.api.history.v1.History',
);

export function historyToJson(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(protojson.toJson(historyType, message), null, 2) + '\n';
}

export function historyFromJson(json: unknown): History {
  const loaded = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('Invalid history JSON');
  return loaded;
}

/** A saved history from the folder: Temporal's JSON format for `.json`, binary protobuf for `.bin`. */
export function readHistory(file: string): History {
  const bytes = fs.readFileSync(historyPath(file));
  return file.endsWith('.bin')
    ? proto.temporal.api.history.v1.History.decode(bytes)
    : historyFromJson(JSON.parse(bytes.toString('utf8')));
}
