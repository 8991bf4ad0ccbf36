// npm run protocol:schema — writes docs/protocol.schema.json from the schemas in src/protocol.
import { writeFileSync } from "node:fs";
import { protocolJsonSchema } from "../src/protocol/json-schema.ts";

const path = new URL("../docs/protocol.schema.json", import.meta.url);
writeFileSync(path, JSON.stringify(protocolJsonSchema(), null, 2) + "\n");
process.stdout.write(`wrote ${path.pathname}\n`);
