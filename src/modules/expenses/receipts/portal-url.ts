/**
 * Which URLs a consultation may go to. An NFC-e QR code is text a stranger printed: fetching
 * whatever URL it holds would let anyone make the server request internal addresses. Every
 * state's consultation portal (NT 2015.002 and its annexes, and the SVRS pages several states
 * share) lives under `.gov.br`, so that is the rule: http or https, a `.gov.br` host name (no
 * IP literals), no credentials in the URL. Redirects are checked with the same rule.
 */

export function isTrustedPortalUrl(url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  return /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+gov\.br$/.test(host);
}

/**
 * Whether the portal is a homologation (test) one, by the names the states give them:
 * `homologacao.`, `nfcehomolog.`, `hom.nfce.`, `www.hom.nfe.`, `nfceweb-hom/`, `hnfe.`,
 * `nfceh.`, `/portal-homologacao/`. A heuristic: the QR's own environment field (tpAmb) is what
 * counts; several states use one URL for both environments.
 */
export function isHomologationPortal(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const path = url.pathname.toLowerCase();
  return (
    /homolog/.test(host) ||
    /homolog/.test(path) ||
    /(?:^|[.-])(?:hom|hml)(?:[.-]|$)/.test(host) ||
    /(?:^|[/-])(?:hom|hml)(?:[/-]|$)/.test(path) ||
    /^(?:hnfe|hnfce|nfceh|nfeh)\./.test(host)
  );
}
