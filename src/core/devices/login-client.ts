/** The browser a login step came from, as the front end saw it. */
export interface LoginClient {
  ip: string | null;
  /** The device cookie's value, if the browser sent one. */
  device?: string | null;
  userAgent?: string | null;
}
