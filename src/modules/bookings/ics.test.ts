import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildInvite, escapeText, foldLine, utcDateTime, type Invite } from './ics.ts';

const invite: Invite = {
  method: 'REQUEST',
  uid: '6f1c2a7e-0000-4000-8000-000000000001@voltaic.example',
  sequence: 2,
  stamp: new Date('2026-11-20T10:15:30Z'),
  start: new Date('2026-12-01T08:00:00Z'),
  end: new Date('2026-12-01T09:00:00Z'),
  summary: 'Termin mit Grete Müller-Lüdenscheidt (voltAIc Systems; Büro, Köln)',
  description:
    'Link zum Gespräch: https://meet.jit.si/Magnetiq-abc\nTermin ansehen, verschieben oder absagen: ' +
    'https://voltaic.example/en/bookings/manage?token=6f1c2a7e-0000-4000-8000-000000000001.' +
    'a'.repeat(43) +
    '\nBuchungsnummer: VLT-20261201-K7Q2',
  location: 'https://meet.jit.si/Magnetiq-abc',
  organizer: { name: 'voltAIc Systems', email: 'no-reply@voltaic.systems' },
  attendees: [
    { name: 'Jürgen "Jo" Groß', email: 'juergen@example.com' },
    { name: 'Grete Müller-Lüdenscheidt', email: 'grete@example.com', accepted: true },
  ],
};

/** The lines as a reader sees them once unfolded (RFC 5545 3.1: CRLF followed by one space is removed). */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n');
}

describe('ICS text', () => {
  it('escapes backslash, semicolon, comma and every kind of line break', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
    expect(escapeText('Größe: 5 €')).toBe('Größe: 5 €');
  });

  it('writes UTC times in the basic form with Z', () => {
    expect(utcDateTime(new Date('2026-12-01T08:05:09.123Z'))).toBe('20261201T080509Z');
  });

  it('folds at 75 octets, continuation lines start with a space and keep to 75 octets', () => {
    const line = `DESCRIPTION:${'x'.repeat(200)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBe(3);
    expect(Buffer.byteLength(parts[0] ?? '')).toBe(75);
    for (const part of parts.slice(1)) {
      expect(part.startsWith(' ')).toBe(true);
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    }
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
  });

  it('never splits a multi-byte character (umlauts, the euro sign, emoji) when folding', () => {
    // 'ü' and 'ß' take 2 octets, '€' 3, the emoji 4 (a surrogate pair in JavaScript); offsets vary the cut.
    for (let pad = 0; pad < 4; pad++) {
      const line = `SUMMARY:${'a'.repeat(pad)}${'Grüße für Jürgen € 🎉 '.repeat(12)}`;
      const folded = foldLine(line);
      for (const part of folded.split('\r\n')) {
        const bytes = Buffer.from(part, 'utf8');
        expect(bytes.length).toBeLessThanOrEqual(75);
        // Each part decodes on its own: no character cut in half (a cut leaves U+FFFD or a lone surrogate).
        expect(bytes.toString('utf8')).toBe(part);
        expect(part).not.toContain('\uFFFD');
        expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(part)).toBe(false);
      }
      expect(folded.replace(/\r\n /g, '')).toBe(line);
    }
  });
});

describe('ICS invite', () => {
  const ics = buildInvite(invite);

  it('uses CRLF line endings only and lines of at most 75 octets', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('has the calendar and event properties RFC 5545 asks for', () => {
    const lines = unfold(ics);
    expect(lines.slice(0, 5)).toEqual([
      'BEGIN:VCALENDAR',
      'PRODID:-//voltAIc Systems//Magnetiq v2//EN',
      'VERSION:2.0',
      'CALSCALE:GREGORIAN',
      'METHOD:REQUEST',
    ]);
    expect(lines).toContain('DTSTART:20261201T080000Z');
    expect(lines).toContain('DTEND:20261201T090000Z');
    expect(lines).toContain('DTSTAMP:20261120T101530Z');
    expect(lines).toContain('SEQUENCE:2');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines).toContain('SUMMARY:Termin mit Grete Müller-Lüdenscheidt (voltAIc Systems\\; Büro\\, Köln)');
    expect(lines).toContain('ORGANIZER;CN="voltAIc Systems":mailto:no-reply@voltaic.systems');
    // A double quote cannot stand in a parameter value: it is dropped.
    expect(lines.find((l) => l.includes('juergen@'))).toBe(
      'ATTENDEE;CN="Jürgen Jo Groß";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:juergen@example.com',
    );
  });

  it('parses with ical.js into one VEVENT with the same values, umlauts and line breaks intact', () => {
    const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    const vevents = calendar.getAllSubcomponents('vevent');
    expect(vevents).toHaveLength(1);
    const event = new ICAL.Event(vevents[0]);
    expect(event.uid).toBe(invite.uid);
    expect(event.sequence).toBe(2);
    expect(event.summary).toBe(invite.summary);
    expect(event.description).toBe(invite.description);
    expect(event.location).toBe(invite.location);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(event.startDate.zone.tzid).toBe('UTC');
    expect(event.attendees.map((a) => a.getFirstValue())).toEqual([
      'mailto:juergen@example.com',
      'mailto:grete@example.com',
    ]);
    expect(event.attendees.map((a) => a.getParameter('partstat'))).toEqual(['NEEDS-ACTION', 'ACCEPTED']);
  });

  it('a cancellation is METHOD:CANCEL and STATUS:CANCELLED, same UID', () => {
    const cancel = buildInvite({ ...invite, method: 'CANCEL', sequence: 3, location: null });
    const calendar = new ICAL.Component(ICAL.parse(cancel) as unknown[]);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    const event = calendar.getFirstSubcomponent('vevent');
    expect(event?.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event?.getFirstPropertyValue('uid')).toBe(invite.uid);
    expect(event?.getFirstPropertyValue('sequence')).toBe(3);
    expect(event?.hasProperty('location')).toBe(false);
  });
});
