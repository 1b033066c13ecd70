/**
 * The whole flow a front end drives, in order: an organisation, an assessment, every answer with
 * `If-Match`, a preview, submit, the stored result and the report. `make typescript` type-checks
 * it against the generated client (`tsc --noEmit --strict`), so an incompatible change to the API
 * fails CI; `tests/browser/test_typescript_flow.py` also runs it against a real gateway.
 */
import {
  answerQuestion,
  createOrganisation,
  frameworkOf,
  previewOf,
  questionsOf,
  reportOf,
  resultOf,
  startAssessment,
  submit,
} from "./assessments";
import { ApiError, type BaselineClient, type Framework, type Question } from "./client";

export interface FlowSummary {
  organisation_id: string;
  assessment_id: string;
  answered: number;
  stale_if_match_status: number;
  preview_completeness: number;
  submit_status: "submitted" | "scored";
  result_level: number | null;
  report: { status: number; type: string; bytes: number };
}

export async function runFlow(client: BaselineClient, odsCode: string): Promise<FlowSummary> {
  const organisation = await createOrganisation(client, {
    ods_code: odsCode,
    name: `Flow ${odsCode}`,
    kind: "trust",
  });
  const started = await startAssessment(client, organisation.id);
  const assessmentId = started.value.id;
  const framework = await frameworkOf(client, started.value);
  let etag = started.etag;
  for (const question of questionsOf(framework)) {
    etag = await answerQuestion(
      client,
      { assessmentId, questionId: question.question_id, etag },
      middleOption(question),
    );
  }
  const staleStatus = await statusOfStaleAnswer(client, assessmentId, started.etag, framework);
  const preview = await previewOf(client, assessmentId);
  const submitted = await submit(client, assessmentId, etag);
  const result = submitted.status === "scored" ? await resultOf(client, assessmentId) : null;
  return {
    organisation_id: organisation.id,
    assessment_id: assessmentId,
    answered: questionsOf(framework).length,
    stale_if_match_status: staleStatus,
    preview_completeness: preview.completeness,
    submit_status: submitted.status,
    result_level: result?.overall.level ?? null,
    report: await reportSummary(client, assessmentId),
  };
}

function middleOption(question: Question): string {
  const option = question.options[Math.floor(question.options.length / 2)];
  if (option === undefined) throw new Error(`${question.question_id} has no options`);
  return option.option_id;
}

/** An answer sent with the draft's first ETag, long stale by now: the API must refuse it (412). */
async function statusOfStaleAnswer(
  client: BaselineClient,
  assessmentId: string,
  staleEtag: string,
  framework: Framework,
): Promise<number> {
  const [question] = questionsOf(framework);
  if (question === undefined) throw new Error("the framework has no questions");
  try {
    await answerQuestion(
      client,
      { assessmentId, questionId: question.question_id, etag: staleEtag },
      middleOption(question),
    );
    return 200;
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

async function reportSummary(client: BaselineClient, assessmentId: string): Promise<FlowSummary["report"]> {
  try {
    const report = await reportOf(client, assessmentId, "html");
    return { status: 200, type: report.type, bytes: report.size };
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, type: "", bytes: 0 };
    throw error;
  }
}
