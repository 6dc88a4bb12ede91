import { pick, rng } from './support';

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Zoë', 'José', 'Amélie', 'Søren', 'Aisha', 'Wei', 'Yuki', 'Olga', 'Priya', 'Mateo', 'Chloé', 'Liam', 'Noah', 'Emma', 'Olivia', 'Ava', 'Isabella', 'Sophia', 'Mia', 'Lucas'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Müller', 'Dubois', 'Rossi', 'Nakamura', 'Kowalski', 'Novak', 'Silva', 'Andersen', 'Okafor', 'Chen'];
const COMPANY_A = ['Acme', 'Blue Sky', 'Northwind', 'Contoso', 'Sunrise', 'Evergreen', 'Riverside', 'Summit', 'Lakeside', 'Golden Gate', 'Redwood', 'Silver Line', 'Harbor', 'Maple', 'Pioneer', 'Crescent', 'Oakridge', 'Bright Path', 'Cedar', 'Atlas'];
const COMPANY_B = ['Plumbing', 'Yoga', 'Bakery', 'Consulting', 'Dental', 'Fitness', 'Tutoring', 'Cleaning', 'Software', 'Design', 'Logistics', 'Florist', 'Garage', 'Salon', 'Studio', 'Partners', 'Labs', 'Foods', 'Legal', 'Media'];
const SEGMENTS = ['Retail', 'Wholesale', 'Enterprise', 'SMB', 'Education', 'Nonprofit', ''];
const TAGS = ['vip', 'newsletter', 'referral', 'late-payer', 'annual', 'trial', 'partner'];
const METHODS = ['card', 'card', 'card', 'card', 'card', 'card', 'card', 'card', 'card_declining', 'manual'] as const;

export interface GeneratedCustomer {
  name: string;
  email: string;
  phone: string;
  company: string;
  segment: string;
  tags: string[];
  status: 'active' | 'inactive';
  paymentMethod: 'card' | 'card_declining' | 'manual';
  notes: string;
}

/** `count` plausible customers, the same every run. */
export function* customers(count: number, seed = 42): Generator<GeneratedCustomer> {
  const random = rng(seed);
  for (let i = 0; i < count; i++) {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const tags = TAGS.filter(() => random() < 0.15);
    yield {
      name: `${first} ${last}`,
      email: `${first}.${last}.${i}@example.com`.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, ''),
      phone: `(${200 + Math.floor(random() * 800)}) ${String(Math.floor(random() * 1000)).padStart(3, '0')}-${String(i % 10000).padStart(4, '0')}`,
      company: random() < 0.7 ? `${pick(random, COMPANY_A)} ${pick(random, COMPANY_B)}` : '',
      segment: pick(random, SEGMENTS),
      tags,
      status: random() < 0.9 ? 'active' : 'inactive',
      paymentMethod: pick(random, METHODS),
      notes: random() < 0.1 ? 'Prefers to be called in the morning' : '',
    };
  }
}

export function customersCsv(count: number, seed = 42): string {
  const lines = ['Name,Email,Phone,Company,Segment,Tags,Status,Payment method,Notes'];
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  for (const c of customers(count, seed)) {
    lines.push([c.name, c.email, c.phone, c.company, c.segment, c.tags.join(', '), c.status, c.paymentMethod, c.notes].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
