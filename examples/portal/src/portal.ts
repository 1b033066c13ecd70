/**
 * The example portal: sign in with an API key, pick an organisation, answer an assessment with a
 * live preview, submit, and fetch the report. Every call goes through the generated client.
 *
 * Writes are queued one after another: each carries the ETag the previous one returned as
 * `If-Match`, so quick clicks never race each other, and a change made elsewhere meanwhile is
 * refused (412) and the page reloads the draft's answers instead of overwriting them.
 */
import {
  answerQuestion,
  answersOf,
  frameworkOf,
  listDrafts,
  listOrganisations,
  previewOf,
  type ReportFormat,
  reportOf,
  reportUrl,
  startAssessment,
  submit,
} from "../../../clients/typescript/src/assessments";
import {
  ApiError,
  type Assessment,
  type BaselineClient,
  createBaselineClient,
  type Framework,
  type Organisation,
} from "../../../clients/typescript/src/client";
import { byId, el, reveal } from "./dom";
import { questionCount, questionFieldsets, resultSummary } from "./render";

interface Draft {
  assessment: Assessment;
  framework: Framework;
  chosen: Map<string, string>;
  etag: string;
}

let client: BaselineClient | undefined;
let apiUrl = "";
let organisation: Organisation | undefined;
let draft: Draft | undefined;
let queue: Promise<void> = Promise.resolve();
let pendingWrites = 0;

function signedIn(): BaselineClient {
  if (client === undefined) throw new Error("Sign in first.");
  return client;
}

function openDraft(): Draft {
  if (draft === undefined) throw new Error("Open an assessment first.");
  return draft;
}

/** Run `task` after every queued one; show its error, if any, without stopping the queue. */
function enqueue(task: () => Promise<void>): Promise<void> {
  queue = queue.then(task).catch(showError);
  return queue;
}

function showError(error: unknown): void {
  const alert = byId("alert");
  alert.textContent = error instanceof Error ? error.message : String(error);
  alert.hidden = false;
  setStatus("");
}

function setStatus(message: string): void {
  byId("status").textContent = message;
}

function clearError(): void {
  byId("alert").hidden = true;
}

async function signIn(): Promise<void> {
  clearError();
  apiUrl = byId<HTMLInputElement>("api-url").value.trim();
  const token = byId<HTMLInputElement>("api-key").value.trim();
  if (!apiUrl || !token) {
    showError("Enter the API address and paste an API key.");
    return;
  }
  client = createBaselineClient({ baseUrl: apiUrl, token });
  setStatus("Signing in…");
  const organisations = await listOrganisations(client);
  byId("sign-in").hidden = true;
  showOrganisations(organisations);
  setStatus(`Signed in to ${apiUrl}.`);
}

function showOrganisations(organisations: Organisation[]): void {
  const list = byId("organisation-list");
  list.replaceChildren(
    ...organisations.map((item) => {
      const button = el("button", { type: "button", class: "secondary" }, `${item.name} (${item.ods_code})`);
      button.addEventListener("click", () => void enqueue(() => chooseOrganisation(item)));
      return el("li", {}, button);
    }),
  );
  if (organisations.length === 0) list.append(el("li", {}, "This key sees no organisation yet."));
  reveal(byId("organisations"), byId("organisations-heading"));
}

async function chooseOrganisation(chosen: Organisation): Promise<void> {
  clearError();
  organisation = chosen;
  const drafts = await listDrafts(signedIn(), chosen.id);
  byId("drafts-heading").textContent = `${chosen.name} (${chosen.ods_code})`;
  byId("draft-list").replaceChildren(
    ...drafts.map((item) => {
      const button = el(
        "button",
        { type: "button", class: "secondary" },
        `Continue the draft of ${item.created_at.slice(0, 10)}`,
      );
      button.addEventListener("click", () => void enqueue(() => openAssessment(item, undefined)));
      return el("li", {}, button);
    }),
  );
  if (drafts.length === 0) byId("draft-list").append(el("li", {}, "No draft in progress."));
  reveal(byId("drafts"), byId("drafts-heading"));
}

async function startNew(): Promise<void> {
  if (organisation === undefined) throw new Error("Choose an organisation first.");
  const started = await startAssessment(signedIn(), organisation.id);
  await openAssessment(started.value, started.etag);
}

async function openAssessment(assessment: Assessment, etag: string | undefined): Promise<void> {
  clearError();
  const api = signedIn();
  const [framework, answers] = await Promise.all([
    frameworkOf(api, assessment),
    answersOf(api, assessment.id),
  ]);
  draft = {
    assessment,
    framework,
    chosen: answers.value,
    etag: etag ?? answers.etag,
  };
  byId("assessment-heading").textContent = `${framework.title} ${framework.version}`;
  byId("questions").replaceChildren(...questionFieldsets(framework, draft.chosen));
  byId("result").hidden = true;
  showProgress();
  reveal(byId("assessment"), byId("assessment-heading"));
  await refreshPreview();
}

function showProgress(): void {
  const { framework, chosen } = openDraft();
  byId("assessment-progress").textContent =
    `${chosen.size} of ${questionCount(framework)} questions answered.`;
}

function onAnswer(event: Event): void {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
  pendingWrites += 1;
  void enqueue(async () => {
    try {
      await saveAnswer(input.name, input.value);
    } finally {
      pendingWrites -= 1;
    }
    if (pendingWrites === 0) await refreshPreview();
  });
}

async function saveAnswer(questionId: string, optionId: string): Promise<void> {
  const current = openDraft();
  setStatus("Saving…");
  try {
    const target = {
      assessmentId: current.assessment.id,
      questionId,
      etag: current.etag,
    };
    current.etag = await answerQuestion(signedIn(), target, optionId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 412) {
      await openAssessment(current.assessment, undefined);
      throw new Error(
        "Someone changed this draft meanwhile: its answers are reloaded. Check them and answer again.",
      );
    }
    throw error;
  }
  current.chosen.set(questionId, optionId);
  showProgress();
  setStatus("Saved.");
}

async function refreshPreview(): Promise<void> {
  const preview = await previewOf(signedIn(), openDraft().assessment.id);
  byId("preview-body").replaceChildren(resultSummary(preview, "Preview by pillar"));
}

async function submitDraft(): Promise<void> {
  clearError();
  const current = openDraft();
  setStatus("Submitting…");
  const submitted = await submit(signedIn(), current.assessment.id, current.etag);
  byId("assessment").hidden = true;
  const summary = byId("result-summary");
  if (submitted.status === "scored" && submitted.result) {
    summary.replaceChildren(resultSummary(submitted.result, "Result by pillar"));
  } else {
    summary.textContent = "Submitted. The scoring service is busy; the result will follow shortly.";
  }
  for (const format of ["html", "pdf"] as const) {
    byId<HTMLAnchorElement>(`report-${format}`).href = reportUrl(apiUrl, current.assessment.id, format);
  }
  setStatus("Submitted.");
  reveal(byId("result"), byId("result-heading"));
}

/** A plain link cannot carry the bearer token: fetch the report, then hand it over as a download. */
async function downloadReport(format: ReportFormat): Promise<void> {
  clearError();
  const assessmentId = openDraft().assessment.id;
  setStatus("Fetching the report…");
  const blob = await reportOf(signedIn(), assessmentId, format);
  const url = URL.createObjectURL(blob);
  const link = el("a", {
    href: url,
    download: `baseline-report-${assessmentId}.${format}`,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  setStatus("Report downloaded.");
}

function start(): void {
  byId<HTMLInputElement>("api-url").value = window.location.origin;
  byId<HTMLFormElement>("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void enqueue(signIn);
  });
  byId("start-assessment").addEventListener("click", () => void enqueue(startNew));
  byId("questions").addEventListener("change", onAnswer);
  byId("submit-assessment").addEventListener("click", () => void enqueue(submitDraft));
  for (const format of ["html", "pdf"] as const) {
    byId(`report-${format}`).addEventListener("click", (event) => {
      event.preventDefault();
      void enqueue(() => downloadReport(format));
    });
  }
}

start();
