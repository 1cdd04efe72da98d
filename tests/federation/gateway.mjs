#!/usr/bin/env node
// An @apollo/gateway in front of the directory and other subgraphs, for federation tests.
//
// Environment:
//   PORT              port on 127.0.0.1 (required)
//   SUBGRAPHS         JSON list [{"name", "url"}]: composed at startup from their `_service { sdl }`
//   SUPERGRAPH_FILE   instead of SUBGRAPHS: a supergraph SDL composed beforehand (compose.mjs --supergraph)
//   LIFETIME_SECONDS  exit after this long (default 120), in case nobody stops the process
// Prints "ready <url>" on stdout once it listens; exits when its stdin closes.

import { readFileSync } from "node:fs";
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { exitWithParent } from "./process.mjs";

const supergraphSdl = process.env.SUPERGRAPH_FILE
  ? readFileSync(process.env.SUPERGRAPH_FILE, "utf8")
  : new IntrospectAndCompose({ subgraphs: JSON.parse(process.env.SUBGRAPHS ?? "[]") });

const server = new ApolloServer({
  gateway: new ApolloGateway({ supergraphSdl }),
  includeStacktraceInErrorResponses: false,
});
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: Number(process.env.PORT) } });
exitWithParent(() => server.stop());
process.stdout.write(`ready ${url}\n`);
