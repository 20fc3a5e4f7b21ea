import { describe, expect, it } from 'vitest';
import { type DateOptions, dateOptionsSchema, getCalendarDate, validateDate } from './date.js';

/** Thursday 5 March 2026, noon in São Paulo (15:00 UTC, 15:00 in Lisbon). */
const thursdayNoon = new Date('2026-03-05T15:00:00Z');

const resolve = (input: string, options: Partial<DateOptions> = {}) =>
  validateDate(input, { now: thursdayNoon, ...options });

describe('validateDate', () => {
  it.each([
    ['hoje', '2026-03-05'],
    ['Hoje!', '2026-03-05'],
    ['amanhã', '2026-03-06'],
    ['amanha', '2026-03-06'],
    ['AMANHÃ.', '2026-03-06'],
    ['pra amanhã', '2026-03-06'],
    ['depois de amanhã', '2026-03-07'],
    ['ontem', '2026-03-04'],
    ['anteontem', '2026-03-03'],
    ['antes de ontem', '2026-03-03'],
    // Weekdays: the next one, today excluded.
    ['sexta', '2026-03-06'],
    ['Sexta-feira', '2026-03-06'],
    ['sexta feira', '2026-03-06'],
    ['sex', '2026-03-06'],
    ['6ª feira', '2026-03-06'],
    ['6.ª feira', '2026-03-06'],
    ['6a-feira', '2026-03-06'],
    ['na sexta', '2026-03-06'],
    ['nesta sexta', '2026-03-06'],
    ['próxima sexta', '2026-03-06'],
    ['na próxima sexta-feira', '2026-03-06'],
    ['sexta que vem', '2026-03-06'],
    ['até sexta', '2026-03-06'],
    ['sábado', '2026-03-07'],
    ['sabado', '2026-03-07'],
    ['domingo', '2026-03-08'],
    ['segunda', '2026-03-09'],
    ['2ª feira', '2026-03-09'],
    ['terça-feira', '2026-03-10'],
    ['quarta', '2026-03-11'],
    ['quinta', '2026-03-12'],
    ['sexta passada', '2026-02-27'],
    ['última quinta', '2026-02-26'],
    ['quinta-feira passada', '2026-02-26'],
    // "dia N": the next such day, today included.
    ['dia 5', '2026-03-05'],
    ['dia 4', '2026-04-04'],
    ['dia 31', '2026-03-31'],
    ['no dia 10', '2026-03-10'],
    ['dia 1º', '2026-04-01'],
    ['dia primeiro', '2026-04-01'],
    ['dia 5 do mês que vem', '2026-04-05'],
    ['dia 20 deste mês', '2026-03-20'],
    // Day and month: last, this or next year, whichever is nearest.
    ['10/03', '2026-03-10'],
    ['01/03', '2026-03-01'],
    ['1/3', '2026-03-01'],
    ['10/12', '2025-12-10'],
    ['10/08', '2026-08-10'],
    ['25 de março', '2026-03-25'],
    ['10 de dezembro', '2025-12-10'],
    // Full dates.
    ['10/12/2026', '2026-12-10'],
    ['10-12-2026', '2026-12-10'],
    ['10.12.2026', '2026-12-10'],
    ['10 / 12 / 2026', '2026-12-10'],
    ['10/12/26', '2026-12-10'],
    ['10/12/85', '1985-12-10'],
    ['10122026', '2026-12-10'],
    ['2026-12-10', '2026-12-10'],
    ['1/2/2027', '2027-02-01'],
    ['10 de dezembro de 2026', '2026-12-10'],
    ['10 dez 2026', '2026-12-10'],
    ['10/dez/2026', '2026-12-10'],
    ['10-Dez-26', '2026-12-10'],
    ['1º de maio de 2027', '2027-05-01'],
    ['primeiro de maio de 2027', '2027-05-01'],
    ['Data: 10/12/2026', '2026-12-10'],
    ['vencimento 10/12/2026', '2026-12-10'],
    // Weekday and date that agree.
    ['sábado, 7 de março', '2026-03-07'],
    ['sexta dia 13', '2026-03-13'],
    ['sexta 13', '2026-03-13'],
    ['sexta-feira, 11/12/2026', '2026-12-11'],
    // Leap years.
    ['29/02/2028', '2028-02-29'],
    ['29/02/2000', '2000-02-29'],
    // Unicode digits and dashes.
    ['１０/１２/２０２６', '2026-12-10'],
    ['10–12–2026', '2026-12-10'],
  ])('%j → %s', (input, value) => {
    expect(resolve(input)).toMatchObject({ ok: true, value });
  });

  it('displays the weekday and the Brazilian date', () => {
    expect(resolve('amanhã')).toEqual({
      ok: true,
      value: '2026-03-06',
      display: 'sexta-feira, 06/03/2026',
    });
    expect(resolve('07/03/2026')).toMatchObject({ display: 'sábado, 07/03/2026' });
  });

  it.each([
    ['', 'empty'],
    ['banana', 'unrecognized'],
    ['quando der', 'unrecognized'],
    ['amanhã às 10h', 'unrecognized'],
    ['10/12/2026/1', 'unrecognized'],
    ['5', 'ambiguous'],
    ['15', 'ambiguous'],
    ['semana que vem', 'ambiguous'],
    ['fim do mês', 'ambiguous'],
    ['sexta ou sábado', 'ambiguous'],
    ['10/12 ou 11/12', 'ambiguous'],
    ['sexta sábado', 'ambiguous'],
    ['31/02', 'nonexistent-date'],
    ['30/02/2028', 'nonexistent-date'],
    ['31/04/2026', 'nonexistent-date'],
    ['29/02/2027', 'nonexistent-date'],
    ['29/02/1900', 'nonexistent-date'],
    ['29/02', 'nonexistent-date'],
    ['dia 31 do mês que vem', 'nonexistent-date'],
    ['32/01', 'invalid-day'],
    ['00/01/2026', 'invalid-day'],
    ['dia 32', 'invalid-day'],
    ['dia 0', 'invalid-day'],
    ['10/13', 'invalid-month'],
    ['10/00/2026', 'invalid-month'],
    ['12/31/2026', 'invalid-month'],
    ['10/12/1800', 'invalid-year'],
    ['10/12/2300', 'invalid-year'],
    ['sexta dia 12', 'weekday-mismatch'],
    ['domingo, 10/12/2026', 'weekday-mismatch'],
    ['a'.repeat(101), 'too-long'],
  ])('refuses %j (%s)', (input, reason) => {
    expect(resolve(input)).toMatchObject({ ok: false, reason });
  });

  it.each([
    ['31/02', 'Fevereiro não tem dia 31; tem 29 dias.'],
    ['31/04/2026', 'Abril não tem dia 31; tem 30 dias.'],
    ['29/02/2027', '2027 não é bissexto: fevereiro de 2027 não tem dia 29.'],
    ['29/02', '29 de fevereiro só existe em anos bissextos; envie a data com o ano.'],
    ['12/31/2026', 'O mês precisa estar entre 1 e 12; você enviou 31. Use dia/mês: 31/12.'],
    ['sexta dia 12', '12/03/2026 é uma quinta-feira, não uma sexta-feira. Qual é a data certa?'],
    ['domingo, 10/12/2026', '10/12/2026 é uma quinta-feira, não um domingo. Qual é a data certa?'],
  ])('explains why %j is refused', (input, message) => {
    const result = resolve(input);
    expect(result.ok || result.message['pt-BR']).toBe(message);
  });

  describe('direction', () => {
    it.each([
      ['10/12', 'future', '2026-12-10'],
      ['10/12', 'past', '2025-12-10'],
      ['10/03', 'past', '2025-03-10'],
      ['01/03', 'future', '2027-03-01'],
      ['05/03', 'future', '2026-03-05'],
      ['05/03', 'past', '2026-03-05'],
      ['sexta', 'past', '2026-02-27'],
      ['quinta', 'past', '2026-02-26'],
      ['sexta', 'future', '2026-03-06'],
      ['dia 10', 'past', '2026-02-10'],
      ['dia 5', 'past', '2026-03-05'],
      ['dia 31', 'past', '2026-01-31'],
      ['dia 4', 'future', '2026-04-04'],
    ] as const)('%j looking %s → %s', (input, direction, value) => {
      expect(resolve(input, { direction })).toMatchObject({ ok: true, value });
    });

    it('refuses dates on the wrong side of today', () => {
      expect(resolve('ontem', { direction: 'future' })).toMatchObject({
        ok: false,
        reason: 'must-be-future',
        message: { 'pt-BR': '04/03/2026 já passou; a data precisa ser de hoje em diante.' },
      });
      expect(resolve('amanhã', { direction: 'past' })).toMatchObject({
        ok: false,
        reason: 'must-be-past',
      });
      expect(resolve('10/12/2030', { direction: 'past' })).toMatchObject({
        ok: false,
        reason: 'must-be-past',
      });
      expect(resolve('sexta passada', { direction: 'future' })).toMatchObject({
        ok: false,
        reason: 'must-be-future',
      });
      expect(resolve('hoje', { direction: 'future' })).toMatchObject({ ok: true });
    });

    it('can refuse today', () => {
      expect(resolve('hoje', { allowToday: false })).toMatchObject({
        ok: false,
        reason: 'today-not-allowed',
      });
      expect(resolve('dia 5', { direction: 'future', allowToday: false })).toMatchObject({
        ok: false,
        reason: 'today-not-allowed',
        message: { 'pt-BR': 'Hoje não vale: a data precisa ser depois de hoje.' },
      });
      expect(resolve('amanhã', { direction: 'future', allowToday: false })).toMatchObject({
        ok: true,
      });
    });

    it('limits how far back and ahead a date may be', () => {
      expect(resolve('01/01/2025', { maxDaysInPast: 90 })).toMatchObject({
        ok: false,
        reason: 'too-far-in-past',
        details: { limit: '05/12/2025' },
      });
      expect(resolve('05/12/2025', { maxDaysInPast: 90 })).toMatchObject({ ok: true });
      expect(resolve('10/12/2026', { maxDaysInFuture: 30 })).toMatchObject({
        ok: false,
        reason: 'too-far-in-future',
        details: { limit: '04/04/2026' },
      });
      expect(resolve('04/04/2026', { maxDaysInFuture: 30 })).toMatchObject({ ok: true });
    });
  });

  describe('time zones', () => {
    // 02:30 UTC on Friday 6 March: still Thursday 23:30 in São Paulo, 02:30 Friday in Lisbon.
    const lateThursdayInBrazil = new Date('2026-03-06T02:30:00Z');

    it('takes "today" in the time zone of the flow', () => {
      const at = (options: Partial<DateOptions>) =>
        validateDate('hoje', { now: lateThursdayInBrazil, ...options });
      expect(at({})).toMatchObject({ value: '2026-03-05' });
      expect(at({ timeZone: 'America/Sao_Paulo' })).toMatchObject({ value: '2026-03-05' });
      expect(at({ locale: 'pt-PT' })).toMatchObject({ value: '2026-03-06' });
      expect(at({ timeZone: 'Europe/Lisbon' })).toMatchObject({ value: '2026-03-06' });
      expect(at({ locale: 'pt-PT', timeZone: 'America/Manaus' })).toMatchObject({
        value: '2026-03-05',
      });
      expect(validateDate('sexta', { now: lateThursdayInBrazil })).toMatchObject({
        value: '2026-03-06',
      });
      expect(validateDate('sexta', { now: lateThursdayInBrazil, locale: 'pt-PT' })).toMatchObject({
        value: '2026-03-13',
      });
    });

    it('turns the day exactly at local midnight', () => {
      const midnightInBrazil = new Date('2026-03-05T03:00:00Z');
      expect(validateDate('hoje', { now: midnightInBrazil })).toMatchObject({
        value: '2026-03-05',
      });
      expect(validateDate('hoje', { now: new Date(midnightInBrazil.getTime() - 1) })).toMatchObject(
        { value: '2026-03-04' },
      );
    });

    it('follows summer time in Lisbon', () => {
      // 23:30 UTC on 1 July is 00:30 on 2 July in Lisbon (UTC+1), 20:30 on 1 July in Brazil.
      const now = new Date('2026-07-01T23:30:00Z');
      expect(validateDate('hoje', { now, locale: 'pt-PT' })).toMatchObject({
        value: '2026-07-02',
      });
      expect(validateDate('hoje', { now })).toMatchObject({ value: '2026-07-01' });
      // 23:30 UTC on 1 January is 23:30 in Lisbon (UTC+0): still the 1st.
      expect(
        validateDate('hoje', { now: new Date('2026-01-01T23:30:00Z'), locale: 'pt-PT' }),
      ).toMatchObject({ value: '2026-01-01' });
    });

    it('gives the calendar date of a moment', () => {
      expect(getCalendarDate(lateThursdayInBrazil, 'America/Sao_Paulo')).toEqual({
        year: 2026,
        month: 3,
        day: 5,
      });
      expect(getCalendarDate(lateThursdayInBrazil, 'Europe/Lisbon')).toEqual({
        year: 2026,
        month: 3,
        day: 6,
      });
    });
  });

  describe('around the turn of a year and leap days', () => {
    const december28 = new Date('2026-12-28T15:00:00Z');

    it('reads early-January dates as next year at the end of December', () => {
      expect(validateDate('05/01', { now: december28 })).toMatchObject({ value: '2027-01-05' });
      expect(validateDate('dia 5', { now: december28 })).toMatchObject({ value: '2027-01-05' });
      expect(validateDate('amanhã', { now: december28 })).toMatchObject({ value: '2026-12-29' });
      expect(validateDate('quinta', { now: december28 })).toMatchObject({ value: '2026-12-31' });
      expect(validateDate('sexta', { now: december28 })).toMatchObject({ value: '2027-01-01' });
      expect(validateDate('20/12', { now: december28 })).toMatchObject({ value: '2026-12-20' });
    });

    it('finds 29 February in a leap year', () => {
      const leapJanuary = new Date('2028-01-10T15:00:00Z');
      expect(validateDate('29/02', { now: leapJanuary })).toMatchObject({ value: '2028-02-29' });
      expect(validateDate('dia 29', { now: new Date('2028-02-10T15:00:00Z') })).toMatchObject({
        value: '2028-02-29',
      });
      // February 2027 has no 29th, so "dia 29" in February is in March.
      expect(validateDate('dia 29', { now: new Date('2027-02-10T15:00:00Z') })).toMatchObject({
        value: '2027-03-29',
      });
      expect(validateDate('amanhã', { now: new Date('2028-02-28T15:00:00Z') })).toMatchObject({
        value: '2028-02-29',
      });
      expect(validateDate('amanhã', { now: new Date('2027-02-28T15:00:00Z') })).toMatchObject({
        value: '2027-03-01',
      });
    });
  });

  it('needs the injected clock', () => {
    expect(() => validateDate('hoje', { now: new Date('nope') })).toThrow(TypeError);
    expect(() => validateDate('hoje', {} as DateOptions)).toThrow(TypeError);
  });

  it('checks the options a flow author writes', () => {
    expect(dateOptionsSchema.safeParse({ timeZone: 'Europe/Lisbon' }).success).toBe(true);
    expect(dateOptionsSchema.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(dateOptionsSchema.safeParse({ direction: 'sideways' }).success).toBe(false);
    expect(dateOptionsSchema.safeParse({ maxDaysInPast: -1 }).success).toBe(false);
    expect(dateOptionsSchema.safeParse({ unknown: true }).success).toBe(false);
  });
});
