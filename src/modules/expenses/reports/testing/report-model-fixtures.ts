import type { ReportItem, ReportLocale, ReportReceipt, TripReportModel } from '../report-model.js';

/**
 * Generated report models for tests and the `receipts` benchmark: the same seed gives the same
 * trip. Receipts cycle through every source and status (NFC-e in reais, Portuguese invoices in
 * euros, manual entries, one pending and one waiting for its amount every 20), issuers with
 * accents, and one to four items each.
 */

export type SampleReportOptions = {
  receiptCount: number;
  seed?: number;
  locale?: ReportLocale;
  /** Items per receipt are 1..maxItems (default 4). */
  maxItems?: number;
};

/** A deterministic generator in [0, 1) (mulberry32). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const sampleIssuers = {
  brazil: [
    { name: 'PADARIA SÃO JOÃO LTDA', taxId: '11222333000181' },
    { name: 'Café Açaí & Cia', taxId: '11444777000161' },
    { name: 'Restaurante Árvore Ômega', taxId: '45997418000153' },
    { name: 'Farmácia Pão de Açúcar', taxId: '52998224725' },
  ],
  portugal: [
    { name: 'Pastelaria Conceição, Lda.', taxId: '503504564' },
    { name: 'Táxis Lisboa Unipessoal', taxId: '501964843' },
  ],
} as const;

const itemNames = [
  'Pão de queijo',
  'Café expresso',
  'Água mineral sem gás',
  'Refeição executiva',
  'Açaí 500 ml',
  'Bacalhau à Gomes de Sá',
  'Táxi — corrida',
];
const units = ['UN', 'KG', 'L', null] as const;

function buildItems(random: () => number, maxItems: number): ReportItem[] {
  const count = 1 + Math.floor(random() * maxItems);
  const items: ReportItem[] = [];
  for (let index = 0; index < count; index += 1) {
    const quantity =
      random() < 0.8 ? 1 + Math.floor(random() * 3) : Math.round(random() * 1000) / 1000;
    const unitPriceCents = 150 + Math.floor(random() * 8000);
    items.push({
      description: itemNames[Math.floor(random() * itemNames.length)] ?? 'Item',
      quantity,
      unit: units[Math.floor(random() * units.length)] ?? null,
      unitPriceCents,
      totalCents: Math.round(quantity * unitPriceCents),
    });
  }
  return items;
}

const dayMs = 86_400_000;

export function buildSampleReceipt(
  random: () => number,
  index: number,
  startedAt: Date,
  maxItems = 4,
): ReportReceipt {
  const issuedAt = new Date(startedAt.getTime() + Math.floor(random() * 5 * dayMs));
  const kind = index % 10;
  if (kind === 7) {
    const issuer =
      sampleIssuers.portugal[index % sampleIssuers.portugal.length] ?? sampleIssuers.portugal[0];
    const items = buildItems(random, maxItems);
    return {
      issuedAt,
      issuerName: issuer.name,
      issuerTaxId: issuer.taxId,
      source: 'pt-invoice',
      totalCents: items.reduce((sum, item) => sum + item.totalCents, 0),
      currency: 'EUR',
      items,
      status: 'parsed',
    };
  }
  if (kind === 9) {
    return {
      issuedAt,
      issuerName: null,
      issuerTaxId: null,
      source: 'manual',
      totalCents: 1000 + Math.floor(random() * 20000),
      currency: 'BRL',
      items: [],
      status: 'manual',
      description: 'Estacionamento do hotel — diária',
    };
  }
  const issuer =
    sampleIssuers.brazil[index % sampleIssuers.brazil.length] ?? sampleIssuers.brazil[0];
  if (index % 20 === 3) {
    return {
      issuedAt,
      issuerName: null,
      issuerTaxId: issuer.taxId,
      source: 'nfce',
      totalCents: null,
      currency: 'BRL',
      items: [],
      status: 'pending',
    };
  }
  if (index % 20 === 5) {
    return {
      issuedAt,
      issuerName: issuer.name,
      issuerTaxId: issuer.taxId,
      source: 'nfce',
      totalCents: null,
      currency: 'BRL',
      items: [],
      status: 'needs-amount',
    };
  }
  const items = buildItems(random, maxItems);
  return {
    issuedAt,
    issuerName: issuer.name,
    issuerTaxId: issuer.taxId,
    source: 'nfce',
    totalCents: items.reduce((sum, item) => sum + item.totalCents, 0),
    currency: 'BRL',
    items,
    status: 'parsed',
  };
}

export function buildSampleReportModel(options: SampleReportOptions): TripReportModel {
  const random = createRandom(options.seed ?? 1);
  const startedAt = new Date('2025-06-02T11:30:00Z');
  const receipts: ReportReceipt[] = [];
  for (let index = 0; index < options.receiptCount; index += 1) {
    receipts.push(buildSampleReceipt(random, index, startedAt, options.maxItems));
  }
  return {
    trip: {
      destination: 'São Paulo → Lisboa',
      costCentre: 'CC-410 Comercial',
      days: 5,
      startedAt,
      closedAt: new Date('2025-06-07T02:15:00Z'),
    },
    traveller: {
      name: 'Joana Conceição Araújo',
      company: 'Construções Ômega S.A.',
      email: 'joana.araujo@omega.example',
    },
    receipts,
    generatedAt: new Date('2025-06-07T02:20:00Z'),
    locale: options.locale ?? 'pt-BR',
  };
}

/**
 * Three receipts written by hand, one of each kind a report shows: a confirmed NFC-e in reais
 * with items, a Portuguese invoice in euros, and an NFC-e still pending (no name, no amount)
 * issued late in the evening in São Paulo — already the next day in UTC.
 */
export function buildSmallReportModel(locale: ReportLocale = 'pt-BR'): TripReportModel {
  return {
    trip: {
      destination: 'São Paulo → Lisboa',
      costCentre: 'CC-410 Comercial',
      days: 5,
      startedAt: new Date('2025-06-02T11:30:00Z'),
      closedAt: new Date('2025-06-07T02:15:00Z'),
    },
    traveller: {
      name: 'Joana Conceição Araújo',
      company: 'Construções Ômega S.A.',
      email: 'joana.araujo@omega.example',
    },
    receipts: [
      {
        issuedAt: new Date('2025-06-02T17:05:00Z'),
        issuerName: 'Cafeteria São Jorge',
        issuerTaxId: '11222333000181',
        source: 'nfce',
        totalCents: 6505,
        currency: 'BRL',
        status: 'parsed',
        items: [
          {
            description: 'Café expresso',
            quantity: 2,
            unit: 'UN',
            unitPriceCents: 450,
            totalCents: 900,
          },
          {
            description: 'Pão de queijo',
            quantity: 0.266,
            unit: 'KG',
            unitPriceCents: 5990,
            totalCents: 1593,
          },
          {
            description: 'Água com gás',
            quantity: 1,
            unit: null,
            unitPriceCents: null,
            totalCents: 4012,
          },
        ],
      },
      {
        issuedAt: new Date('2025-06-04T09:30:00Z'),
        issuerName: 'Pastelaria Conceição, Lda.',
        issuerTaxId: '503504564',
        source: 'pt-invoice',
        totalCents: 1461,
        currency: 'EUR',
        status: 'parsed',
        items: [
          {
            description: 'Pastel de nata',
            quantity: 2,
            unit: 'UN',
            unitPriceCents: 130,
            totalCents: 260,
          },
          { description: 'Galão', quantity: 1, unit: 'UN', unitPriceCents: 1201, totalCents: 1201 },
        ],
      },
      {
        issuedAt: new Date('2025-06-06T01:10:00Z'),
        issuerName: null,
        issuerTaxId: '45997418000153',
        source: 'nfce',
        totalCents: null,
        currency: 'BRL',
        status: 'pending',
        items: [],
      },
    ],
    generatedAt: new Date('2025-06-07T02:20:00Z'),
    locale,
  };
}
