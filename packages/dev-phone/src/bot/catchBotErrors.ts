/**
 * Catches what a bot throws where nobody awaits it (a rejected promise in an `incomingCalls$` subscriber, an error
 * thrown inside a subscription), so the dev phone can report it on the page and keep serving instead of exiting.
 * Returns how to stop catching. Process-wide: the dev phone's command line uses it, tests need not.
 */
export function catchBotErrors(report: (error: unknown) => void): () => void {
  const onRejection = (reason: unknown) => report(reason);
  const onException = (error: Error) => report(error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
