/**
 * A typed client for the Baseline API.
 *
 * `src/generated/api.d.ts` is generated from `openapi/api.json` by openapi-typescript (`make
 * typescript`); openapi-fetch checks every path, parameter, body and answer against it at compile
 * time, so a change to the API that breaks a caller fails `tsc`, and so CI.
 */
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./generated/api";

export type Schemas = components["schemas"];
export type Organisation = Schemas["OrganisationRead"];
export type Assessment = Schemas["AssessmentOut"];
export type Framework = Schemas["FrameworkDefinition"];
export type Question = Schemas["Question"];
export type Result = Schemas["ScoreResult"];
export type Submitted = Schemas["SubmitOut"];
export type Problem = Schemas["Problem"];

type ReportPath = "/v1/assessments/{assessment_id}/report";

/**
 * `GET /v1/assessments/{assessment_id}/report` as `reports.md` defines it, written as
 * openapi-typescript would generate it.
 *
 * TODO(lead, when the reports branch merges): the route is not in `openapi/api.json` yet. Once it
 * is, `ApiPaths` below is exactly the generated `paths` (the conditional picks it by itself) and
 * `reportOf` in `assessments.ts` is checked against the real route; then delete this interface and
 * the conditional.
 */
interface ReportRouteUntilGenerated {
  "/v1/assessments/{assessment_id}/report": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: {
        query?: { format?: "html" | "pdf" };
        header?: never;
        path: { assessment_id: string };
        cookie?: never;
      };
      requestBody?: never;
      responses: {
        200: {
          headers: { [name: string]: unknown };
          content: { "text/html": string; "application/pdf": string };
        };
        404: { headers: { [name: string]: unknown }; content: { "application/problem+json": Problem } };
        406: { headers: { [name: string]: unknown }; content: { "application/problem+json": Problem } };
      };
    };
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}

export type ApiPaths = ReportPath extends keyof paths ? paths : paths & ReportRouteUntilGenerated;
export type BaselineClient = Client<ApiPaths>;

export interface Connection {
  /** Where the API answers, e.g. `https://baseline.example.nhs.uk` (no trailing slash needed). */
  baseUrl: string;
  /** An API key; sent as a bearer token. Browsers send no cookies: the API allows none. */
  token: string;
}

export function createBaselineClient({ baseUrl, token }: Connection): BaselineClient {
  return createClient<ApiPaths>({
    baseUrl: baseUrl.replace(/\/+$/, ""),
    headers: { Authorization: `Bearer ${token}` },
  });
}

/** An answer that is not 2xx, with the problem+json the API sent (RFC 9457). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined) {
    super(describeProblem(status, problem));
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

/** What openapi-fetch resolves to: the parsed body on 2xx, else the error body. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The answer's body, or an `ApiError` for anything but 2xx. */
export function ok<A extends Answer>(answer: A): NonNullable<A["data"]> {
  if (!answer.response.ok || answer.data === undefined || answer.data === null) {
    throw new ApiError(answer.response.status, asProblem(answer.error));
  }
  return answer.data;
}

/**
 * The assessment's ETag on an answer; the next change sends it back as `If-Match`, so a change
 * someone else made meanwhile is refused (412) instead of overwritten. A page on another origin
 * can read it because the API exposes `ETag` (CORS).
 */
export function etagOf(response: Response): string {
  const etag = response.headers.get("ETag");
  if (etag === null) {
    throw new Error(`${response.url} answered without an ETag (is ETag exposed to this origin?)`);
  }
  return etag;
}

function asProblem(error: unknown): Problem | undefined {
  const looksLikeProblem =
    typeof error === "object" && error !== null && "status" in error && "title" in error;
  return looksLikeProblem ? (error as Problem) : undefined;
}

function describeProblem(status: number, problem: Problem | undefined): string {
  if (problem === undefined) return `The API answered ${status}.`;
  const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  return [`${problem.title} (${status}). ${problem.detail ?? ""}`.trim(), ...fields].join("\n");
}
