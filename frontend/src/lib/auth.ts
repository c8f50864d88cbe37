import { api } from "./api";
import { setSession } from "./session";
import type { TokenAnswer } from "./types";

function keep(answer: TokenAnswer): TokenAnswer {
  setSession({ token: answer.token, user: { id: answer.user.id, name: answer.user.name, email: answer.user.email } });
  return answer;
}

export async function signInWithPassword(email: string, password: string): Promise<TokenAnswer> {
  return keep(await api<TokenAnswer>("/auth/token", { method: "POST", body: { email, password }, auth: "none" }));
}

/** Sign-up answers the same for any address: the account is finished (and signed in) by the link it emails. */
export async function signUp(name: string, email: string, password: string): Promise<string> {
  const answer = await api<{ message: string }>("/auth/signup", { method: "POST", body: { name, email, password }, auth: "none" });
  return answer.message;
}

export async function redeemMagicLink(code: string): Promise<TokenAnswer> {
  return keep(await api<TokenAnswer>("/auth/magic-link/redeem", { method: "POST", body: { code }, auth: "none" }));
}

export async function requestMagicLink(email: string, next: string): Promise<void> {
  await api("/auth/magic-link", { method: "POST", body: { email, next }, auth: "none" });
}

export async function signOut(): Promise<void> {
  await api("/auth/token", { method: "DELETE" }).catch(() => undefined);
  setSession(null);
}

/** Only paths on this site, as the server accepts them (never an open redirect). */
export function safeNext(next: string | null | undefined, fallback = "/me"): string {
  return next && /^\/[A-Za-z0-9/_-]*$/.test(next) ? next : fallback;
}
