import { ALL_ERROR_CODES, CloseCode, PROTOCOL_VERSION } from "./codes.ts";
import { ClientMessageSchemas, ServerMessageSchemas } from "./messages.ts";

/** The whole protocol as one JSON Schema document: what docs/protocol.schema.json holds. */
export function protocolJsonSchema(): object {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://github.com/big-two-online/big-two-online/docs/protocol.schema.json",
    title: "Big Two Online WebSocket protocol",
    description:
      "JSON text frames over a WebSocket at /ws. Each frame is one object with a `type`. " +
      "clientMessages are what a client may send; serverMessages what it receives. See docs/protocol.md.",
    protocolVersion: PROTOCOL_VERSION,
    errorCodes: ALL_ERROR_CODES,
    closeCodes: CloseCode,
    clientMessages: JSON.parse(JSON.stringify(ClientMessageSchemas)),
    serverMessages: JSON.parse(JSON.stringify(ServerMessageSchemas)),
  };
}
