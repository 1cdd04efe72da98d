// Lifetime of the test servers: they stop when their parent closes their stdin, or after
// LIFETIME_SECONDS (default 120) at the latest, so a crashed test run leaves nothing behind.

export function exitWithParent(stop) {
  const exit = async (code) => {
    try {
      await stop();
    } finally {
      process.exit(code);
    }
  };
  process.stdin.on("end", () => exit(0));
  process.stdin.on("error", () => exit(0));
  process.stdin.resume();
  setTimeout(() => exit(0), Number(process.env.LIFETIME_SECONDS ?? 120) * 1000).unref();
  process.on("SIGTERM", () => exit(0));
  process.on("SIGINT", () => exit(0));
}
