// Run in a child process by setup.test.ts: loads the Functions entry point exactly as the Node
// worker does, then reports whether the Azure Monitor distro was evaluated (it sets this variable).
await import('../../functions/index.js');
process.stdout.write(`${JSON.stringify({ distro: process.env.AZURE_MONITOR_DISTRO_VERSION ?? null })}\n`);
