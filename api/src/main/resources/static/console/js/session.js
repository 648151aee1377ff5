// The signed-in token, kept in sessionStorage: it lives as long as the tab and is never sent anywhere but
// this API's Authorization header.
const KEY = 'quarry.console.token';
const ADMIN_ROLES = ['tenant-admin', 'admin', 'operator'];

/** The claims of a JWT, read without verifying it: the API verifies; the console only labels its screens. */
export function claimsOf(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('a token is three base64url parts separated by dots');
  const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  return JSON.parse(json);
}

export const session = {
  token: () => sessionStorage.getItem(KEY),
  signIn(token) {
    sessionStorage.setItem(KEY, token.trim());
  },
  signOut() {
    sessionStorage.removeItem(KEY);
  },
  claims() {
    const token = this.token();
    if (!token) return null;
    try {
      return claimsOf(token);
    } catch {
      return null;
    }
  },
  isAdmin() {
    const roles = this.claims()?.roles ?? [];
    return roles.some((role) => ADMIN_ROLES.includes(String(role).toLowerCase()));
  },
};
