import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

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
