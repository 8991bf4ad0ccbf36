import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";
import type { TSchema } from "@sinclair/typebox";
import { ErrorCode } from "./codes.ts";
import { CHAT_MAX_CHARS, ClientMessageSchemas, type ClientMessage } from "./messages.ts";

export type Decoded =
  | { ok: true; message: ClientMessage }
  | { ok: false; code: string; message: string; id?: string | number };

// Compiled once at load: checking a message is then a plain function call, no interpretation.
const checkers = new Map<string, TypeCheck<TSchema>>(
  Object.entries(ClientMessageSchemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
);

function echoId(value: unknown): string | number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  if (typeof id === "string" && id.length <= 64) return id;
  if (typeof id === "number" && Number.isInteger(id)) return id;
  return undefined;
}

/** The `id` a refused frame carried, if it is JSON with one; for refusals made before decoding. */
export function peekId(text: string): string | number | undefined {
  try {
    return echoId(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** Parse and check one text frame from a client. Never throws. */
export function decodeClientMessage(text: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: ErrorCode.BadJson, message: "The frame is not valid JSON." };
  }
  // The id to echo is looked for only when the message is refused: an accepted one keeps its own.
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, code: ErrorCode.BadMessage, message: "A message is a JSON object with a `type`.", id: echoId(value) };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string") {
    return { ok: false, code: ErrorCode.BadMessage, message: "A message needs a string `type`.", id: echoId(value) };
  }
  const check = checkers.get(type);
  if (!check) {
    return { ok: false, code: ErrorCode.UnknownType, message: `Unknown message type "${type.slice(0, 40)}".`, id: echoId(value) };
  }
  if (!check.Check(value)) {
    // The one limit a person meets while typing gets its own code, not the schema's.
    const text = (value as { text?: unknown }).text;
    if (type === "chat" && typeof text === "string" && text.length > CHAT_MAX_CHARS) {
      return { ok: false, code: ErrorCode.ChatTooLong, message: `Chat messages are at most ${CHAT_MAX_CHARS} characters.`, id: echoId(value) };
    }
    const first = check.Errors(value).First();
    const where = first?.path || "/";
    return {
      ok: false,
      code: ErrorCode.BadMessage,
      message: `Bad "${type}" message at ${where}: ${first?.message ?? "does not match the schema"}.`,
      id: echoId(value),
    };
  }
  return { ok: true, message: value as ClientMessage };
}
