// A bot module with a bug: it answers, then throws where nobody awaits it (an unhandled rejection).
export default function throwingBot(client) {
  const subscription = client.incomingCalls$.subscribe(async (incoming) => {
    await incoming.answer();
    throw new Error('the bot broke on purpose');
  });
  return () => subscription.unsubscribe();
}
