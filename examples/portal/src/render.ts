/** What the page shows, built from the API's own types: questions, the preview and the result. */
import { type Framework, type Question, type Result } from "../../../clients/typescript/src/client";
import { questionsOf } from "../../../clients/typescript/src/assessments";
import { el } from "./dom";

/** One fieldset per question, its options as radio buttons (arrow keys move between them). */
export function questionFieldsets(framework: Framework, chosen: ReadonlyMap<string, string>): HTMLElement[] {
  return framework.pillars.flatMap((pillar) => [
    el("h3", {}, pillar.title),
    ...pillar.capabilities.flatMap((capability) =>
      capability.questions.map((q) => questionFieldset(q, chosen.get(q.question_id))),
    ),
  ]);
}

function questionFieldset(question: Question, chosen: string | undefined): HTMLFieldSetElement {
  const hintId = `${question.question_id}-hint`;
  const fieldset = el(
    "fieldset",
    { "data-question-id": question.question_id },
    el("legend", {}, question.text),
  );
  if (question.guidance) {
    fieldset.append(el("p", { class: "hint", id: hintId }, question.guidance));
    fieldset.setAttribute("aria-describedby", hintId);
  }
  for (const option of question.options) {
    const input = el("input", {
      type: "radio",
      name: question.question_id,
      value: option.option_id,
    });
    input.checked = option.option_id === chosen;
    fieldset.append(el("label", { class: "option" }, input, ` ${option.label}`));
  }
  return fieldset;
}

export function questionCount(framework: Framework): number {
  return questionsOf(framework).length;
}

/** The overall level and each pillar against its target, as a table (readable without colour). */
export function resultSummary(result: Result, caption: string): HTMLElement {
  const overall = result.overall;
  const rows = result.pillars.map((pillar) =>
    el(
      "tr",
      {},
      el("th", { scope: "row" }, pillar.title),
      el("td", {}, text(pillar.score)),
      el("td", {}, text(pillar.level)),
      el("td", {}, text(pillar.target_level)),
    ),
  );
  return el(
    "div",
    {},
    el(
      "p",
      { class: "overall" },
      `Overall: level ${text(overall.level)}, score ${text(overall.score)}. Answered: ${Math.round(result.completeness * 100)}%.`,
    ),
    el(
      "table",
      {},
      el("caption", {}, caption),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          el("th", { scope: "col" }, "Pillar"),
          el("th", { scope: "col" }, "Score"),
          el("th", { scope: "col" }, "Level"),
          el("th", { scope: "col" }, "Target"),
        ),
      ),
      el("tbody", {}, ...rows),
    ),
  );
}

function text(value: number | null | undefined): string {
  return value === null || value === undefined ? "none" : String(value);
}
