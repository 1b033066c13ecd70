/**
 * The calls a portal makes to take an organisation through an assessment, each checked by `tsc`
 * against the generated types. Writes carry `If-Match` with the last ETag seen and return the new
 * one, so two people answering the same draft never overwrite each other unawares.
 */
import {
  type Assessment,
  type BaselineClient,
  type Framework,
  type Organisation,
  type Question,
  type Result,
  type Submitted,
  etagOf,
  ok,
} from "./client";

export const FRAMEWORK_ID = "nhs-digital-readiness";

/** An assessment with the ETag to send on its next change. */
export interface Tagged<T> {
  value: T;
  etag: string;
}

export async function listOrganisations(client: BaselineClient): Promise<Organisation[]> {
  const page = ok(await client.GET("/v1/organisations", { params: { query: { limit: 100 } } }));
  return page.items;
}

export async function createOrganisation(
  client: BaselineClient,
  organisation: { ods_code: string; name: string; kind: Organisation["kind"] },
): Promise<Organisation> {
  return ok(await client.POST("/v1/organisations", { body: organisation }));
}

export async function listDrafts(client: BaselineClient, organisationId: string): Promise<Assessment[]> {
  const answer = await client.GET("/v1/organisations/{organisation_id}/assessments", {
    params: { path: { organisation_id: organisationId }, query: { status: "draft", limit: 100 } },
  });
  return ok(answer).items;
}

/** A new draft of the framework's latest published version. */
export async function startAssessment(
  client: BaselineClient,
  organisationId: string,
): Promise<Tagged<Assessment>> {
  const answer = await client.POST("/v1/organisations/{organisation_id}/assessments", {
    params: { path: { organisation_id: organisationId } },
    body: { framework_id: FRAMEWORK_ID, title: "Assessment from the example portal" },
  });
  return { value: ok(answer), etag: etagOf(answer.response) };
}

export async function frameworkOf(client: BaselineClient, assessment: Assessment): Promise<Framework> {
  const answer = await client.GET("/v1/frameworks/{framework_id}/versions/{version}", {
    params: { path: { framework_id: assessment.framework_id, version: assessment.framework_version } },
  });
  return ok(answer);
}

/** The framework's questions in order: pillar by pillar, capability by capability. */
export function questionsOf(framework: Framework): Question[] {
  return framework.pillars.flatMap((pillar) =>
    pillar.capabilities.flatMap((capability) => capability.questions),
  );
}

/** The draft's answers so far (question id -> option id) and its current ETag. */
export async function answersOf(
  client: BaselineClient,
  assessmentId: string,
): Promise<Tagged<Map<string, string>>> {
  const answer = await client.GET("/v1/assessments/{assessment_id}/responses", {
    params: { path: { assessment_id: assessmentId } },
  });
  const chosen = new Map<string, string>();
  for (const item of ok(answer).items) {
    if (item.value) chosen.set(item.question_id, item.value);
  }
  return { value: chosen, etag: etagOf(answer.response) };
}

/** Answer one question if the draft is still at `etag`; returns the draft's new ETag. */
export async function answerQuestion(
  client: BaselineClient,
  target: { assessmentId: string; questionId: string; etag: string },
  optionId: string,
): Promise<string> {
  const answer = await client.PUT("/v1/assessments/{assessment_id}/responses/{question_id}", {
    params: {
      path: { assessment_id: target.assessmentId, question_id: target.questionId },
      header: { "if-match": target.etag },
    },
    body: { value: optionId },
  });
  ok(answer);
  return etagOf(answer.response);
}

/** The result the current answers would get (unanswered count as 0); nothing is stored. */
export async function previewOf(client: BaselineClient, assessmentId: string): Promise<Result> {
  const answer = await client.GET("/v1/assessments/{assessment_id}/preview", {
    params: { path: { assessment_id: assessmentId } },
  });
  return ok(answer);
}

/** Submit the draft if it is still at `etag`: `scored` with the result, or `submitted` (scored later). */
export async function submit(client: BaselineClient, assessmentId: string, etag: string): Promise<Submitted> {
  const answer = await client.POST("/v1/assessments/{assessment_id}/submit", {
    params: { path: { assessment_id: assessmentId }, header: { "if-match": etag } },
  });
  return ok(answer);
}

export async function resultOf(client: BaselineClient, assessmentId: string): Promise<Result> {
  const answer = await client.GET("/v1/assessments/{assessment_id}/result", {
    params: { path: { assessment_id: assessmentId } },
  });
  return ok(answer);
}

export type ReportFormat = "html" | "pdf";

/** Where the report is. A plain link cannot carry the bearer token: fetch it with `reportOf`. */
export function reportUrl(baseUrl: string, assessmentId: string, format: ReportFormat): string {
  return `${baseUrl.replace(/\/+$/, "")}/v1/assessments/${encodeURIComponent(assessmentId)}/report?format=${format}`;
}

export async function reportOf(
  client: BaselineClient,
  assessmentId: string,
  format: ReportFormat,
): Promise<Blob> {
  const answer = await client.GET("/v1/assessments/{assessment_id}/report", {
    params: { path: { assessment_id: assessmentId }, query: { format } },
    parseAs: "blob",
  });
  return ok(answer);
}
