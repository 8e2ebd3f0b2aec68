/**
 * llm/chat and llm/explain with their streamed text: each call gets a streamId, and one
 * `llm/chunk` handler per connection routes pieces to the call that owns them (vscode-jsonrpc
 * keeps a single handler per notification method). Aborting the signal cancels the request,
 * which closes the agent's HTTP connection to Ollama.
 */
import type { MessageConnection } from 'vscode-jsonrpc';
import { LLM_CHUNK, type LlmChunk } from '../../agent/protocol';
import { sendRequest } from '../agent/client';
import type { ChatBackend } from './chatSession';

const routes = new WeakMap<MessageConnection, Map<string, (text: string) => void>>();
let nextStream = 1;

function routeOf(connection: MessageConnection): Map<string, (text: string) => void> {
  let map = routes.get(connection);
  if (!map) {
    const created = new Map<string, (text: string) => void>();
    connection.onNotification(LLM_CHUNK, (c: LlmChunk) => created.get(c.streamId)?.(c.text));
    routes.set(connection, created);
    map = created;
  }
  return map;
}

async function withStream<T>(
  connect: () => Promise<MessageConnection>,
  onText: (text: string) => void,
  run: (connection: MessageConnection, streamId: string) => Promise<T>,
): Promise<T> {
  const connection = await connect();
  const streamId = `medlab-chat-${nextStream++}`;
  const map = routeOf(connection);
  map.set(streamId, onText);
  try {
    return await run(connection, streamId);
  } finally {
    map.delete(streamId);
  }
}

export function streamingBackend(connect: () => Promise<MessageConnection>): ChatBackend {
  return {
    chat: (params, onText, signal) =>
      withStream(connect, onText, (c, streamId) =>
        sendRequest(c, 'llm/chat', { ...params, streamId }, { signal }),
      ),
    explain: (params, onText, signal) =>
      withStream(connect, onText, (c, streamId) =>
        sendRequest(c, 'llm/explain', { ...params, streamId }, { signal }),
      ),
  };
}
