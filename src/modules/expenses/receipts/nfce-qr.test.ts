import { describe, expect, it } from 'vitest';
import { computeAccessKeyCheckDigit } from './access-key.js';
import { parseNfceQr } from './nfce-qr.js';

/*
 * QR contents written for these tests in every form the states print (keys built with valid
 * CNPJs and check digits; hashes are 40 hex characters like a SHA-1).
 */
const spKey = '35240333822117000100650010000012341100012347';
const offlineKey = '43250927560987000155650020000007789000007782';
const v3Key = '35251033822117000100650010000990011246813574';
const hash = '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C';
const spPortal =
  'https://www.nfce.fazenda.sp.gov.br/NFCeConsultaPublica/Paginas/ConsultaQRCode.aspx';
const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex');

function withCheckDigit(first43: string): string {
  return `${first43}${computeAccessKeyCheckDigit(first43)}`;
}

describe('parseNfceQr: the forms', () => {
  it('reads v2 online', () => {
    const result = parseNfceQr(`${spPortal}?p=${spKey}|2|1|1|${hash}`);
    expect(result).toMatchObject({
      ok: true,
      value: {
        form: 'v2-online',
        version: 2,
        environment: 'production',
        isHomologationHost: false,
        portalUrl: `${spPortal}?p=${spKey}|2|1|1|${hash}`,
        cscId: '1',
        hash,
        accessKey: { key: spKey, state: 'SP', number: 1234, series: 1 },
      },
    });
    if (result.ok) {
      expect(result.value.offlineTotal).toBeUndefined();
      expect(result.display).toBe('3524 0333 8221 1700 0100 6500 1000 0012 3411 0001 2347');
    }
  });

  it('reads v2 offline with its day and total', () => {
    const digest = hex('dGVzdGRpZ2VzdHZhbHVlMTIzNDU2Nzg5MA==');
    const result = parseNfceQr(
      `https://www.sefaz.rs.gov.br/NFCE/NFCE-COM.aspx?p=${offlineKey}|2|1|07|1234.50|${digest}|4|${hash}`,
    );
    expect(result).toMatchObject({
      ok: true,
      value: {
        form: 'v2-offline',
        offlineDay: 7,
        offlineTotal: 123450,
        declaredTotal: 123450,
        cscId: '4',
        accessKey: { emissionType: 'contingency-offline' },
      },
    });
  });

  it('reads v3 online (key, version, environment only)', () => {
    const result = parseNfceQr(`${spPortal}?p=${v3Key}|3|1`);
    expect(result).toMatchObject({
      ok: true,
      value: { form: 'v3-online', version: 3, environment: 'production' },
    });
    if (result.ok) expect(result.value.hash).toBeUndefined();
  });

  it('reads v3 offline, keeping a base64 signature with + and / intact', () => {
    const signature = 'aB+/cD9=';
    const result = parseNfceQr(
      `${spPortal}?p=${offlineKey}|3|1|31|10.5|2|39053344705|${encodeURIComponent(signature)}`,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { form: 'v3-offline', offlineDay: 31, offlineTotal: 1050, signature },
    });
    // Unescaped, as some printers write it: "+" must not become a space.
    const raw = parseNfceQr(`${spPortal}?p=${offlineKey}|3|1|31|10.50|||${signature}`);
    expect(raw).toMatchObject({ ok: true, value: { signature, offlineTotal: 1050 } });
  });

  it('reads legacy v1, decoding the hex date and the total', () => {
    const url =
      `https://www.sefaz.rs.gov.br/NFCE/NFCE-COM.aspx?chNFe=${spKey}&nVersao=100&tpAmb=1` +
      `&cDest=39053344705&dhEmi=${hex('2024-03-18T13:05:44-03:00')}&vNF=65.05&vICMS=0.00` +
      `&digVal=${hex('c29tZWRpZ2VzdA==')}&cIdToken=000001&cHashQRCode=${hash}`;
    const result = parseNfceQr(url);
    expect(result).toMatchObject({
      ok: true,
      value: {
        form: 'v1',
        version: 1,
        issuedAt: '2024-03-18T13:05:44-03:00',
        declaredTotal: 6505,
        cscId: '000001',
        hash,
      },
    });
  });

  it('reads pipes escaped as %7C (either case) and the whole query escaped', () => {
    for (const pipe of ['%7C', '%7c']) {
      const result = parseNfceQr(`${spPortal}?p=${spKey}${pipe}2${pipe}1${pipe}1${pipe}${hash}`);
      expect(result, pipe).toMatchObject({ ok: true, value: { form: 'v2-online' } });
    }
  });

  it('reads the URL without a scheme (http is assumed), with spaces and line breaks', () => {
    const result = parseNfceQr(
      `  www.fazenda.pr.gov.br/nfce/qrcode?p=${spKey}|2|1|\n1|${hash}\r\n`,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { portalUrl: `http://www.fazenda.pr.gov.br/nfce/qrcode?p=${spKey}|2|1|1|${hash}` },
    });
  });

  it('flags homologation by tpAmb and recognizes homologation hosts', () => {
    const result = parseNfceQr(
      `https://www.homologacao.nfce.fazenda.sp.gov.br/qrcode?p=${spKey}|2|2|1|${hash}`,
    );
    expect(result).toMatchObject({
      ok: true,
      value: { environment: 'homologation', isHomologationHost: true },
    });
    for (const host of [
      'http://hom.nfce.set.rn.gov.br/consultarNFCe.aspx',
      'http://nfceh.sefaz.ce.gov.br/pages/ShowNFCe.html',
      'https://sistemas.sefaz.am.gov.br/nfceweb-hom/consultarNFCe.jsp',
      'http://www.hom.nfe.se.gov.br/nfce/qrcode',
      'https://appnfc.sefa.pa.gov.br/portal-homologacao/view/consultas/nfce/nfceForm.seam',
    ]) {
      const parsed = parseNfceQr(`${host}?p=${spKey}|2|2|1|${hash}`);
      expect(parsed, host).toMatchObject({ ok: true, value: { isHomologationHost: true } });
    }
    const production = parseNfceQr(
      `http://www.fazenda.pr.gov.br/nfce/qrcode?p=${spKey}|2|1|1|${hash}`,
    );
    expect(production).toMatchObject({ ok: true, value: { isHomologationHost: false } });
  });

  it('drops a fragment from the portal URL', () => {
    const result = parseNfceQr(`${spPortal}?p=${spKey}|3|1#top`);
    expect(result).toMatchObject({ ok: true, value: { portalUrl: `${spPortal}?p=${spKey}|3|1` } });
  });
});

describe('parseNfceQr: what is refused', () => {
  it('refuses a wrong check digit with the key reason', () => {
    const wrong = `${spKey.slice(0, 43)}0`;
    const result = parseNfceQr(`${spPortal}?p=${wrong}|2|1|1|${hash}`);
    expect(result).toMatchObject({
      ok: false,
      reason: 'invalid-access-key',
      details: { accessKeyReason: 'check-digit' },
    });
    if (!result.ok) expect(result.message['pt-BR']).toMatch(/dígito verificador/);
  });

  it('refuses wrong key lengths and state codes', () => {
    expect(parseNfceQr(`${spPortal}?p=${spKey.slice(0, 40)}|2|1|1|${hash}`)).toMatchObject({
      reason: 'invalid-access-key',
      details: { accessKeyReason: 'wrong-length', received: 40 },
    });
    const noState = withCheckDigit(`99${spKey.slice(2, 43)}`);
    expect(parseNfceQr(`${spPortal}?p=${noState}|2|1|1|${hash}`)).toMatchObject({
      reason: 'invalid-access-key',
      details: { accessKeyReason: 'invalid-state' },
    });
  });

  it('refuses an NF-e key (model 55) in an NFC-e QR', () => {
    const nfe = withCheckDigit(`${spKey.slice(0, 20)}55${spKey.slice(22, 43)}`);
    expect(parseNfceQr(`${spPortal}?p=${nfe}|2|1|1|${hash}`)).toMatchObject({
      ok: false,
      reason: 'not-nfce-model',
    });
  });

  it('refuses unknown versions and wrong field counts', () => {
    expect(parseNfceQr(`${spPortal}?p=${spKey}|4|1`)).toMatchObject({ reason: 'unknown-version' });
    expect(parseNfceQr(`${spPortal}?p=${spKey}|2|1|1`)).toMatchObject({
      reason: 'wrong-field-count',
      details: { version: '2', received: 4 },
    });
    expect(parseNfceQr(`${spPortal}?p=${spKey}|3|1|1`)).toMatchObject({
      reason: 'wrong-field-count',
    });
    expect(parseNfceQr(`${spPortal}?chNFe=${spKey}&nVersao=200&tpAmb=1`)).toMatchObject({
      reason: 'unknown-version',
    });
  });

  it.each([
    [`p=${spKey}|2|3|1|${hash}`, 'tpAmb'],
    [`p=${spKey}|2|1|x|${hash}`, 'cIdToken'],
    [`p=${spKey}|2|1|1|nothex`, 'cHashQRCode'],
    [`p=${offlineKey}|2|1|32|10.00|abcd|1|${hash}`, 'dia'],
    [`p=${offlineKey}|2|1|05|10,00|abcd|1|${hash}`, 'vNF'],
    [`p=${offlineKey}|2|1|05|-1.00|abcd|1|${hash}`, 'vNF'],
    [`p=${offlineKey}|2|1|05|10.00|xyz|1|${hash}`, 'digVal'],
    [`p=${offlineKey}|3|1|05|10.00|7|1|abc=`, 'tp_idDest'],
    [`chNFe=${spKey}&nVersao=100&tpAmb=1&dhEmi=${hex('ontem')}`, 'dhEmi'],
    [`chNFe=${spKey}&nVersao=100&tpAmb=1&vNF=abc`, 'vNF'],
    [`chNFe=${spKey}&nVersao=100`, 'tpAmb'],
  ])('refuses %s (field %s)', (query, field) => {
    expect(parseNfceQr(`${spPortal}?${query}`)).toMatchObject({
      ok: false,
      reason: 'invalid-field',
      details: { field },
    });
  });

  it('refuses NFC-e-shaped URLs on hosts that are not tax authority portals', () => {
    for (const host of [
      'https://example.com/nfce',
      'http://127.0.0.1:8080/qrcode',
      'http://169.254.169.254/latest',
      'http://localhost/qrcode',
      'https://sefaz.sp.gov.br.evil.com/qrcode',
      'https://user:secret@www.fazenda.pr.gov.br/nfce/qrcode',
      'ftp://www.fazenda.pr.gov.br/nfce/qrcode',
    ]) {
      const result = parseNfceQr(`${host}?p=${spKey}|2|1|1|${hash}`);
      expect(result, host).toMatchObject({ ok: false });
      if (!result.ok) expect(['untrusted-host', 'not-nfce']).toContain(result.reason);
    }
    expect(parseNfceQr(`https://example.com/nfce?p=${spKey}|2|1|1|${hash}`)).toMatchObject({
      reason: 'untrusted-host',
      details: { host: 'example.com' },
    });
  });

  it('names what other QR codes are', () => {
    const pix =
      '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D';
    expect(parseNfceQr(pix)).toMatchObject({ reason: 'not-nfce', details: { detected: 'pix' } });
    expect(
      parseNfceQr('BEGIN:VCARD\nVERSION:3.0\nFN:Ana Souza\nTEL:+5511987654321\nEND:VCARD'),
    ).toMatchObject({
      reason: 'not-nfce',
      details: { detected: 'contact' },
    });
    expect(parseNfceQr('WIFI:T:WPA;S:Cafe;P:senha123;;')).toMatchObject({
      details: { detected: 'wifi' },
    });
    expect(parseNfceQr('https://www.cafeteria.com.br/cardapio')).toMatchObject({
      reason: 'not-nfce',
      details: { detected: 'url', host: 'www.cafeteria.com.br' },
    });
    expect(parseNfceQr('A:123456789*B:999999990*C:PT*D:FS*E:N*F:20190812')).toMatchObject({
      details: { detected: 'pt-invoice' },
    });
    expect(parseNfceQr('Olá, tudo bem?')).toMatchObject({ reason: 'not-nfce' });
    expect(parseNfceQr('otpauth://totp/x?secret=ABC')).toMatchObject({ reason: 'not-nfce' });
  });

  it('recognizes a SAT fiscal coupon QR', () => {
    const sat = withCheckDigit(`${spKey.slice(0, 20)}59${spKey.slice(22, 43)}`);
    expect(parseNfceQr(`${sat}|20240318130544|65.05||c2lnbmF0dXJl`)).toMatchObject({
      ok: false,
      reason: 'cfe-sat',
    });
  });

  it('answers empty and huge input without throwing', () => {
    expect(parseNfceQr(' \n ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseNfceQr(`${spPortal}?p=${'9'.repeat(100_000)}`)).toMatchObject({
      ok: false,
      reason: 'too-long',
    });
    expect(parseNfceQr(`${spPortal}?p=%E0%A4%A|2|1`)).toMatchObject({ ok: false });
  });
});
