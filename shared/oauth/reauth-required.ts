/** Microsoft no longer accepts the stored grant (revoked, expired, consent withdrawn): the user must reconnect. */
export class ReauthRequiredError extends Error {
  constructor(readonly reason: string) {
    super(`reauthorization required (${reason})`);
    this.name = 'ReauthRequiredError';
  }
}
