import { Client, Connection } from '@temporalio/client';
import type { Config } from '../lib/config';

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** A Temporal client for the configured frontend and namespace; close() releases the gRPC connection. */
export async function createTemporalClient(config: Pick<Config, 'temporal'>): Promise<TemporalClient> {
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return { client, connection, close: () => connection.close() };
}
