#!/usr/bin/env node
// Composes subgraph SDLs into a supergraph with Apollo's own composition library.
//
//   node tests/federation/compose.mjs NAME=SDL_FILE[=URL] ... [--supergraph OUT_FILE]
//
// Prints one JSON object on stdout: {"ok", "errors": [{code, message}], "hints": [{code, message}]}.
// Exits 0 when the subgraphs compose, 1 on any composition error, 2 on a usage error.
// With --supergraph, also writes the supergraph SDL (for a static @apollo/gateway or a router).

import { readFileSync, writeFileSync } from "node:fs";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

function usage(message) {
  process.stderr.write(`${message}\nusage: node compose.mjs NAME=SDL_FILE[=URL] ... [--supergraph OUT_FILE]\n`);
  process.exit(2);
}

function report(errors, hints = []) {
  const ok = errors.length === 0;
  process.stdout.write(`${JSON.stringify({ ok, errors, hints }, null, 2)}\n`);
  process.exit(ok ? 0 : 1);
}

const args = process.argv.slice(2);
let supergraphFile = null;
const services = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === "--supergraph") {
    supergraphFile = args[i + 1] ?? usage("--supergraph needs a file name");
    i += 1;
    continue;
  }
  const [name, file, url] = args[i].split("=", 3);
  if (!name || !file) usage(`not NAME=SDL_FILE[=URL]: ${args[i]}`);
  services.push({ name, file, url: url || `http://${name}.invalid/graphql` });
}
if (services.length === 0) usage("give at least one subgraph");

const parseErrors = [];
const definitions = services.map(({ name, file, url }) => {
  try {
    return { name, url, typeDefs: parse(readFileSync(file, "utf8")) };
  } catch (error) {
    parseErrors.push({ code: "INVALID_SUBGRAPH_SDL", message: `[${name}] ${error.message}` });
    return null;
  }
});
if (parseErrors.length > 0) report(parseErrors);

const result = composeServices(definitions);
const errors = (result.errors ?? []).map((error) => ({
  code: error.extensions?.code ?? "COMPOSITION_ERROR",
  message: error.message,
}));
const hints = (result.hints ?? []).map((hint) => ({ code: hint.definition.code, message: hint.message }));
if (errors.length === 0 && supergraphFile) writeFileSync(supergraphFile, result.supergraphSdl);
report(errors, hints);
