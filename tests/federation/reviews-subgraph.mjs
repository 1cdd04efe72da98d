#!/usr/bin/env node
// A second subgraph for federation tests: reviews of directory organizations and events.
// Schema: reviews.graphql (extends Organization by `id` and Event by `slug`).
//
// Environment:
//   PORT              port on 127.0.0.1 (required)
//   REVIEWS_DATA      JSON: {"reviews": {orgId: [{rating, comment, author}]},
//                            "featuredOrganizations": [orgId], "featuredEvent": slug,
//                            "eventProfiles": {slug: {summary, attendance}}}
//   LIFETIME_SECONDS  exit after this long (default 120), in case nobody stops the process
// Prints "ready <url>" on stdout once it listens; exits when its stdin closes.

import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import { startStandaloneServer } from "@apollo/server/standalone";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { parse } from "graphql";
import { exitWithParent } from "./process.mjs";

const typeDefs = parse(readFileSync(new URL("./reviews.graphql", import.meta.url), "utf8"));
const data = JSON.parse(process.env.REVIEWS_DATA ?? "{}");
const reviewsOf = (id) => data.reviews?.[id] ?? [];

const resolvers = {
  Query: {
    featuredOrganizations: () => (data.featuredOrganizations ?? []).map((id) => ({ __typename: "Organization", id })),
    featuredEvent: () => (data.featuredEvent ? { __typename: "Event", slug: data.featuredEvent } : null),
  },
  Organization: {
    __resolveReference: ({ id }) => ({ id }),
    reviews: ({ id }) => reviewsOf(id),
    averageRating: ({ id }) => {
      const reviews = reviewsOf(id);
      return reviews.length ? reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length : null;
    },
  },
  Event: {
    __resolveReference: ({ slug }) => ({ slug }),
    profile: ({ slug }) => data.eventProfiles?.[slug] ?? null,
  },
};

const server = new ApolloServer({
  schema: buildSubgraphSchema([{ typeDefs, resolvers }]),
  includeStacktraceInErrorResponses: false,
  plugins: [ApolloServerPluginInlineTraceDisabled()],
});
const { url } = await startStandaloneServer(server, { listen: { host: "127.0.0.1", port: Number(process.env.PORT) } });
exitWithParent(() => server.stop());
process.stdout.write(`ready ${url}\n`);
