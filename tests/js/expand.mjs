// Reads an iCalendar file on standard input with ical.js and prints, as JSON, the start of every
// event instance from FIRST to LAST (ISO dates, both included, read in UTC) by UID, in UTC:
// {"uid": ["2026-06-02T17:00:00Z", ...]}. Used by tests/rhythms/test_feed_readers.py.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [first, last] = process.argv.slice(2);
const from = new Date(`${first}T00:00:00Z`).getTime();
const until = new Date(`${last}T00:00:00Z`).getTime() + 86400000;

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
// As calendar clients do: the zones come from the file's own VTIMEZONE parts, nowhere else.
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

const masters = new Map();
const overrides = [];
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  if (event.isRecurrenceException()) overrides.push(event);
  else masters.set(event.uid, event);
}
for (const override of overrides) masters.get(override.uid)?.relateException(override);

const instants = {};
for (const [uid, event] of masters) {
  const starts = (instants[uid] = []);
  const add = (time) => {
    const at = time.toJSDate().getTime();
    if (at >= from && at < until) starts.push(new Date(at).toISOString().replace(".000Z", "Z"));
  };
  if (!event.isRecurring()) {
    add(event.startDate);
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    if (details.recurrenceId.toJSDate().getTime() >= until + 7 * 86400000) break;
    add(details.startDate);
  }
  starts.sort();
}
process.stdout.write(JSON.stringify(instants));
