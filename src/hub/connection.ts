import { HubApiError } from "@huggingface/hub";
import { UserError, errorMessage } from "../util/errors.js";
import { redactSecret } from "../util/redact.js";

export const DEFAULT_HUB_URL = "https://huggingface.co";

export const NO_TOKEN = "HF_TOKEN is not set: a push needs a Hugging Face access token with write permission in HF_TOKEN";

/** Where the Hub is and who we are there. The token lives only here and in request headers. */
export interface HubConnection {
  hubUrl: string;
  accessToken?: string;
}

export interface HubConnectionOptions {
  /** --hub-url; else HF_ENDPOINT; else the public Hub. */
  hubUrl?: string;
  /** A push needs a token; a pull of a public repository does not. */
  requireToken?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The token comes from HF_TOKEN and nowhere else: never a command-line flag, which would show in shell
 * history and process lists.
 */
export function hubConnection({ hubUrl, requireToken = false, env = process.env }: HubConnectionOptions): HubConnection {
  const url = (hubUrl ?? env.HF_ENDPOINT ?? DEFAULT_HUB_URL).replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`${url}: not a hub URL (expected e.g. ${DEFAULT_HUB_URL})`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new UserError(`${url}: expected an http or https URL`);
  const token = env.HF_TOKEN?.trim() || undefined;
  if (requireToken && !token) throw new UserError(NO_TOKEN);
  if (token && !token.startsWith("hf_")) throw new UserError("HF_TOKEN does not look like a Hugging Face access token (those start with hf_)");
  return { hubUrl: url, accessToken: token };
}

/** `namespace/name`, as the Hub spells a repository. */
export function parseRepoName(name: string): string {
  if (!/^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(name)) throw new UserError(`${name}: expected a repository as namespace/name`);
  return name;
}

/** The Hub's last answer, as far as it matters for an error: what was asked, the status, and its first bytes. */
export interface HubAnswers {
  fetch: typeof fetch;
  /** `GET /api/... answered 200 application/json: {...}`, or undefined before any answer. */
  last(): Promise<string | undefined>;
}

const ANSWER_EXCERPT = 200;

/** A fetch for @huggingface/hub that keeps the last API answer, so that one the library cannot read can be named. */
export function recordAnswers(): HubAnswers {
  let last: Promise<string> | undefined;
  const recording: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const type = res.headers.get("content-type") ?? "no content type";
    const head = `${init?.method ?? "GET"} ${url.pathname} answered ${res.status} ${type}`;
    // Only JSON answers are read twice: file content may be large and is never what a shape error is about.
    last = type.includes("json")
      ? res
          .clone()
          .text()
          .then(
            (body) => `${head}: ${body.length > ANSWER_EXCERPT ? `${body.slice(0, ANSWER_EXCERPT)}...` : body}`,
            () => head,
          )
      : Promise.resolve(head);
    return res;
  };
  return { fetch: recording, last: () => last ?? Promise.resolve(undefined) };
}

/**
 * A failed Hub call as one line for the user: what we tried, the status and the Hub's own words; an answer the
 * client library could not read (`json.files is not iterable`) names what the server sent. The token is cut
 * out of anything a server echoes back.
 */
export function hubFailure(err: unknown, what: string, connection: HubConnection, lastAnswer?: string): UserError {
  let reason: string;
  if (err instanceof HubApiError) {
    const hint = err.statusCode === 401 || err.statusCode === 403 ? " (check that HF_TOKEN is valid and may write to this repository)" : "";
    reason = `${err.statusCode} ${err.message.replace(/\. URL: .*$/s, "")}${hint}`;
  } else if ((err instanceof TypeError || err instanceof SyntaxError) && lastAnswer && !(err as { cause?: unknown }).cause) {
    reason = `${connection.hubUrl} sent an answer that is not the Hub API's (${err.message}); is it a Hugging Face Hub? ${lastAnswer}`;
  } else {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    reason = cause ? `cannot reach ${connection.hubUrl}: ${cause.code ?? cause.message}` : errorMessage(err);
  }
  return new UserError(redactSecret(`${what}: ${reason}`, connection.accessToken, "hf_***"));
}
