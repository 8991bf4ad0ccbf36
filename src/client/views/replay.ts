// The replay page (/replay/MATCH/DEAL): any deal of a finished match, every hand face up, step by
// step forwards and back or played at a chosen speed. The deal is rebuilt from its record with
// the rules engine (replay-model.ts), so it shows exactly what was played.
import { h } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { DealEvent, DealState } from "../../rules/types.ts";
import { comboText } from "../i18n/game.ts";
import { num, t, tOrdinal, type Key } from "../i18n/index.ts";
import { api, apiErrorText, type ApiResult, type MatchDeal, type MatchPlayerRef, type MatchRecord } from "../api.ts";
import { buildReplay, clampStep, trickAt, type Replay, type ReplayError } from "../replay-model.ts";
import { profilePath, replayPath } from "../router.ts";
import { load, save } from "../storage.ts";
import { cardText, CardRow } from "./cards.ts";
import { rulesSummary, signed } from "./format.ts";
import { ErrorPanel, Loading, PageLink, when } from "./page-bits.ts";
import { useServices } from "./services.ts";
import { useApi } from "./use-api.ts";

type Pos = "bottom" | "right" | "top" | "left";
const POSITIONS: Record<number, Pos[]> = {
  2: ["bottom", "top"],
  3: ["bottom", "right", "left"],
  4: ["bottom", "right", "top", "left"],
};
const SPEEDS = [0.5, 1, 2, 4];
/** How long each step holds the screen at 1×, by what it shows (ms). */
const HOLD = { start: 1200, play: 1100, pass: 550, end: 0 };

export function ReplayPage(props: { matchId: string; deal: number | null }) {
  const [loaded, reload] = useApi(`match:${props.matchId}`, () => matchSoon(props.matchId));
  if (loaded.loading) return h(Loading, { what: t("replay.loading") });
  if (!loaded.ok) return h(ErrorPanel, { text: apiErrorText(loaded), retry: loaded.status === 0 || loaded.status >= 500 ? reload : null });
  const match = loaded.data;
  if (match.deals.length === 0) return h(ErrorPanel, { text: t("replay.noDeals"), retry: null });
  const deal = match.deals.find((d) => d.dealNo === props.deal) ?? match.deals[0];
  // A new deal starts its own stepper (step 0, paused).
  return h(ReplayView, { key: `${match.matchId}:${deal.dealNo}`, match, deal });
}

/**
 * The match, allowing for the moment between its end and its records being written (docs/api.md:
 * normally well under a second), when the match-end screen's link is followed at once.
 */
async function matchSoon(matchId: string, tries = 4): Promise<ApiResult<MatchRecord>> {
  let r = await api.match(matchId);
  for (let i = 1; i < tries && !r.ok && r.code === "match/not-found"; i++) {
    await new Promise((ok) => setTimeout(ok, 500 * i));
    r = await api.match(matchId);
  }
  return r;
}

function seatPeople(match: MatchRecord, deal: MatchDeal): MatchPlayerRef[] {
  const seats = match.settings.seats;
  return Array.from({ length: seats }, (_, s) => {
    const p = deal.seats?.find((x) => x.seat === s) ?? match.players.find((x) => x.seat === s);
    return p ?? { seat: s, playerId: null, name: t("seat.n", { n: s + 1 }), human: false };
  });
}

function ReplayView(props: { match: MatchRecord; deal: MatchDeal }) {
  const { match, deal } = props;
  const { app, router } = useServices();
  const built = useMemo(() => buildReplay(match.settings.variant, deal), [match, deal]);
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeedState] = useState(() => {
    const s = Number(load("replaySpeed"));
    return SPEEDS.includes(s) ? s : 1;
  });
  const setSpeed = (s: number) => {
    save("replaySpeed", String(s));
    setSpeedState(s);
  };
  const replay = built.ok ? built.replay : null;
  const last = replay ? replay.frames.length - 1 : 0;

  // Playing: one step per hold, stopping at the end.
  useEffect(() => {
    if (!playing || !replay) return;
    if (step >= last) {
      setPlaying(false);
      return;
    }
    const next = replay.events[step];
    const hold = (step === 0 ? HOLD.start : next.type === "pass" ? HOLD.pass : HOLD.play) / speed;
    const timer = setTimeout(() => setStep((i) => clampStep(replay, i + 1)), hold);
    return () => clearTimeout(timer);
  }, [playing, step, speed, replay]);

  const go = (i: number) => {
    if (!replay) return;
    setPlaying(false);
    setStep(clampStep(replay, i));
  };
  const toggle = () => {
    if (!replay) return;
    if (!playing && step >= last) setStep(0);
    setPlaying(!playing);
  };

  // On a phone the site header and the whole table do not fit one screen: start with the
  // replay's own header at the top, so the table and the sticky controls are both in view.
  useEffect(() => {
    if (window.innerWidth < 700 && window.scrollY === 0) document.querySelector(".replay-head")?.scrollIntoView({ block: "start" });
  }, []);

  // Keyboard: arrows step, space plays or pauses, Home/End jump.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA")) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === "ArrowRight") go(step + 1);
      else if (e.key === "ArrowLeft") go(step - 1);
      else if (e.key === "Home") go(0);
      else if (e.key === "End") go(last);
      else if (e.key === " " && el?.tagName !== "BUTTON") toggle();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const people = seatPeople(match, deal);
  const mine = people.findIndex((p) => p.playerId !== null && p.playerId === app.state.playerId);
  const dealIdx = match.deals.indexOf(deal);

  return h(
    "main",
    { class: "page replay", "data-testid": "replay" },
    h(
      "header",
      { class: "replay-head" },
      h(
        "div",
        { class: "replay-title" },
        h("h1", null, t("replay.title"), h("span", { class: "muted" }, ` · ${match.settings.name}`)),
        h(
          "p",
          { class: "muted fine" },
          [when(match.endedAt), t(match.ranked ? "match.ranked" : "match.unranked"), rulesSummary(match.settings.variant)].join(" · "),
        ),
      ),
      h(
        "label",
        { class: "deal-pick" },
        h("span", { class: "sr-only" }, t("replay.deal")),
        h(
          "select",
          {
            value: String(deal.dealNo),
            "data-testid": "deal-picker",
            onChange: (e: Event) => router.go(replayPath(match.matchId, Number((e.currentTarget as HTMLSelectElement).value)), { replace: true }),
          },
          match.deals.map((d) =>
            h("option", { key: d.dealNo, value: String(d.dealNo) }, t("replay.dealOption", { n: d.dealNo, total: match.deals.length, name: people[d.result.winner]?.name ?? "?" })),
          ),
        ),
      ),
    ),
    !built.ok
      ? h(ErrorPanel, { text: t(REPLAY_ERRORS[built.code]), retry: null })
      : h(
          "div",
          { class: "replay-body" },
          h(ReplayTable, { replay: replay!, step, people, bottom: mine >= 0 ? mine : 0, match, dealIdx }),
          h(Controls, { step, last, playing, speed, go, toggle, setSpeed, replay: replay!, people }),
        ),
    h(
      "section",
      { class: "panel replay-standings" },
      h("h2", null, t("replay.result")),
      h(
        "ol",
        { class: "standings" },
        match.players
          .slice()
          .sort((a, b) => a.place - b.place)
          .map((p, i) =>
            h(
              "li",
              { key: `${p.playerId ?? "bot"}:${p.seat ?? i}` },
              h("span", { class: "place" }, tOrdinal("place.n", { n: p.place })),
              p.human && p.playerId ? h(PageLink, { to: profilePath(p.playerId) }, p.name) : h("span", null, p.name),
              p.human ? null : h("span", { class: "badge bot" }, t("seat.bot")),
              h("span", { class: `num ${p.total < 0 ? "neg" : p.total > 0 ? "pos" : ""}` }, signed(p.total)),
              p.human && p.ratingBefore !== null && p.ratingAfter !== null
                ? h("span", { class: "muted fine" }, t("replay.rating", { rating: num(p.ratingAfter), change: signed(p.ratingAfter - p.ratingBefore) }))
                : null,
            ),
          ),
      ),
    ),
  );
}

const REPLAY_ERRORS: Record<ReplayError["code"], Key> = {
  "replay/bad-record": "err.replay/bad-record",
  "replay/hands-mismatch": "err.replay/hands-mismatch",
  "replay/illegal-action": "err.replay/illegal-action",
  "replay/unfinished": "err.replay/unfinished",
  "replay/result-mismatch": "err.replay/result-mismatch",
};

function seatName(people: MatchPlayerRef[], seat: number): string {
  return people[seat]?.name ?? t("seat.n", { n: seat + 1 });
}

function eventText(ev: DealEvent, people: MatchPlayerRef[]): string {
  const name = seatName(people, ev.seat);
  if (ev.type === "pass") return t(ev.auto ? "say.passedTime" : "say.passed", { name });
  return t(ev.auto ? "say.playedTime" : "say.played", { name, combo: comboText(ev.combo) });
}

/** What the current step shows, in one line. */
export function stepLine(replay: Replay, step: number, people: MatchPlayerRef[]): string {
  const first = replay.frames[0];
  if (step === 0) {
    const name = seatName(people, first.turn);
    return first.mustContain ? t("replay.dealtWith", { name, card: cardText(first.mustContain) }) : t("replay.dealt", { name });
  }
  const total = replay.events.length;
  const event = eventText(replay.events[step - 1], people);
  return t("replay.step", { n: step, total, event: step === total ? t("replay.out", { event }) : event });
}

function ReplayTable(props: { replay: Replay; step: number; people: MatchPlayerRef[]; bottom: number; match: MatchRecord; dealIdx: number }) {
  const { replay, step, people, match } = props;
  const state = replay.frames[step];
  const seats = state.seats;
  const pos = POSITIONS[seats] ?? POSITIONS[4];
  const order = Array.from({ length: seats }, (_, i) => (props.bottom + i) % seats);
  const trick = trickAt(replay, step);
  const bySeat: (DealEvent | null)[] = Array.from({ length: seats }, () => null);
  for (const ev of trick) bySeat[ev.seat] = ev;
  const over = state.winner !== null;
  const lastEvent = step > 0 ? replay.events[step - 1] : null;
  return h(
    "div",
    { class: `replay-felt seats-${seats}` },
    order.map((seat, i) =>
      h(ReplaySeat, {
        key: seat,
        seat,
        pos: pos[i],
        state,
        person: people[seat],
        action: bySeat[seat],
        just: lastEvent?.seat === seat,
      }),
    ),
    h(
      "div",
      { class: "replay-center", "aria-live": "polite" },
      over
        ? h(DealScores, { replay, people, match, dealIdx: props.dealIdx })
        : h(
            "div",
            { class: "replay-trick" },
            state.top
              ? h(CardRow, { key: `${step}`, cards: state.top.combo.cards, size: "md", fresh: lastEvent?.type === "play", label: comboText(state.top.combo) })
              : h("p", { class: "muted" }, step === 0 ? t("replay.newDeal") : t("replay.newTrick")),
            h(
              "ol",
              { class: "trick-log" },
              trick.slice(-4).map((ev, i) => h("li", { key: i, class: ev.type === "pass" ? "muted" : "" }, eventText(ev, people))),
            ),
          ),
    ),
  );
}

function ReplaySeat(props: { seat: number; pos: Pos; state: DealState; person: MatchPlayerRef; action: DealEvent | null; just: boolean }) {
  const { seat, state, person, action } = props;
  const hand = state.hands[seat];
  const turn = state.winner === null && state.turn === seat;
  const won = state.winner === seat;
  return h(
    "section",
    {
      class: `replay-seat pos-${props.pos}${turn ? " turn" : ""}${won ? " winner" : ""}${props.just ? " just" : ""}`,
      "aria-label": t(turn ? "replay.seatTurn" : "replay.seat", { name: person.name, cards: t("seat.cards", { n: hand.length }) }),
      "data-seat": seat,
    },
    h(
      "div",
      { class: "seat-line" },
      h("strong", { class: "nm" }, person.name),
      person.human ? null : h("span", { class: "badge bot" }, t("seat.bot")),
      h("span", { class: "muted" }, won ? t("replay.outWins") : t("seat.cards", { n: hand.length })),
      turn ? h("span", { class: "badge turn-badge" }, t("seat.toPlay")) : null,
      action && !won ? h("span", { class: `seat-act${action.type === "pass" ? " passed" : ""}` }, action.type === "pass" ? t("my.passed") : comboText(action.combo)) : null,
    ),
    hand.length > 0 ? h("div", { class: "replay-hand", "data-testid": "replay-hand" }, h(CardRow, { cards: hand, size: "sm" })) : null,
  );
}

function DealScores(props: { replay: Replay; people: MatchPlayerRef[]; match: MatchRecord; dealIdx: number }) {
  const { replay, people, match } = props;
  const r = replay.result;
  const totals = people.map((_, s) => match.deals.slice(0, props.dealIdx + 1).reduce((sum, d) => sum + (d.result.scores[s]?.delta ?? 0), 0));
  return h(
    "div",
    { class: "deal-scores", "data-testid": "replay-result" },
    h("h2", null, t("center.wins", { name: people[r.winner]?.name ?? "?" })),
    h(
      "table",
      { class: "scores" },
      h(
        "thead",
        null,
        h("tr", null, h("th", null, t("col.player")), h("th", { class: "num" }, t("col.left")), h("th", { class: "num" }, t("col.deal")), h("th", { class: "num" }, t("col.total"))),
      ),
      h(
        "tbody",
        null,
        r.scores.map((sc, s) =>
          h(
            "tr",
            { key: s, class: s === r.winner ? "won" : "" },
            h("th", { scope: "row" }, seatName(people, s)),
            h("td", { class: "num" }, num(sc.cardsLeft)),
            h("td", { class: `num ${sc.delta < 0 ? "neg" : "pos"}` }, signed(sc.delta)),
            h("td", { class: `num strong ${totals[s] < 0 ? "neg" : totals[s] > 0 ? "pos" : ""}` }, signed(totals[s])),
          ),
        ),
      ),
    ),
  );
}

function Controls(props: {
  step: number;
  last: number;
  playing: boolean;
  speed: number;
  replay: Replay;
  people: MatchPlayerRef[];
  go: (i: number) => void;
  toggle: () => void;
  setSpeed: (s: number) => void;
}) {
  const { step, last, go } = props;
  const btn = (label: string, icon: IconName, onClick: () => void, disabled: boolean, testid: string) =>
    h("button", { type: "button", class: "btn small icon", "aria-label": label, title: label, disabled, onClick, "data-testid": testid }, h(Icon, { name: icon }));
  return h(
    "div",
    { class: "panel replay-controls" },
    h(
      "div",
      { class: "step-row" },
      h("p", { class: "step-line", "data-testid": "step-line", "aria-live": "polite" }, stepLine(props.replay, step, props.people)),
      h(
        "label",
        { class: "speed" },
        h("span", { class: "sr-only" }, t("replay.speed")),
        h(
          "select",
          { value: String(props.speed), onChange: (e: Event) => props.setSpeed(Number((e.currentTarget as HTMLSelectElement).value)), "data-testid": "speed" },
          SPEEDS.map((s) => h("option", { key: s, value: String(s) }, `${num(s)}×`)),
        ),
      ),
    ),
    h("input", {
      type: "range",
      class: "scrub",
      min: 0,
      max: last,
      value: step,
      "aria-label": t("replay.scrub"),
      "aria-valuetext": t("replay.scrubValue", { n: step, total: last }),
      onInput: (e: Event) => go(Number((e.currentTarget as HTMLInputElement).value)),
      "data-testid": "scrub",
    }),
    h(
      "div",
      { class: "row control-row" },
      btn(t("replay.first"), "first", () => go(0), step === 0, "step-first"),
      btn(t("replay.back"), "back", () => go(step - 1), step === 0, "step-back"),
      h(
        "button",
        { type: "button", class: "btn small primary play-toggle", onClick: props.toggle, "aria-pressed": props.playing ? "true" : "false", "data-testid": "play-pause" },
        h(Icon, { name: props.playing ? "pause" : step >= last ? "again" : "play" }),
        t(props.playing ? "replay.pause" : step >= last ? "replay.again" : "replay.play"),
      ),
      btn(t("replay.forward"), "forward", () => go(step + 1), step >= last, "step-forward"),
      btn(t("replay.last"), "last", () => go(last), step >= last, "step-last"),
    ),
  );
}

type IconName = "first" | "back" | "play" | "pause" | "forward" | "last" | "again";
// Drawn rather than typed: the media-control characters (⏮ ⏭) are missing from common fonts.
const ICONS: Record<IconName, string> = {
  first: "M5 4h2v16H5zM19 4v16L8 12z",
  back: "M17 4v16L6 12z",
  play: "M7 4v16l12-8z",
  pause: "M6 4h4v16H6zM14 4h4v16h-4z",
  forward: "M7 4v16l11-8z",
  last: "M17 4h2v16h-2zM5 4v16l11-8z",
  again: "M12 5a7 7 0 1 1-6.7 5H3l3.5-4L10 10H7.4A5 5 0 1 0 12 7z",
};

function Icon(props: { name: IconName }) {
  return h("svg", { class: "icon-svg", viewBox: "0 0 24 24", width: 18, height: 18, "aria-hidden": "true", focusable: "false" }, h("path", { d: ICONS[props.name], fill: "currentColor" }));
}
