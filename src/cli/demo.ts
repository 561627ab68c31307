/**
 * `magnetiq seed --demo`: a living, bilingual demo of voltAIc Systems (pages, consultants, webinars, whitepapers).
 *
 * Idempotent: every row is identified by a natural key (a slug, an e-mail, a topic's English title) and is
 * inserted only when no live (not soft-deleted) row has that key, so a second run creates nothing. Dates are
 * relative to `now`, so the webinars are always ahead of whoever looks at the demo.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction } from '../platform/audit/context.ts';
import type { DB, JsonValue } from '../platform/db/schema.ts';
import type { Locale, Translated } from '../platform/i18n/index.ts';
import {
  byEmail,
  byEnglishTitle,
  bySlug,
  DEMO_TABLES,
  findOrInsert,
  type DemoTable,
  type NaturalKey,
} from './repository.ts';

export interface DemoReport {
  created: Record<string, number>;
}

/** A row to insert, without the audit columns (filled with the actor) and the columns computed at seed time. */
type SeedRow<T extends DemoTable, Computed extends keyof DB[T] = never> = Omit<
  Insertable<DB[T]>,
  'created_by' | 'updated_by' | Computed
>;
/** Makes the bilingual columns K required and {en, de}. */
type Localised<Row, K extends keyof Row> = Omit<Row, K> & Record<K, Translated>;

const DOMAIN = 'voltaic.systems';

type WorkingHours = Record<string, { start: string; end: string }[]>;
/** The keys the consultants API and the slots engine read (mon..sun). */
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const weekdays = (...slots: { start: string; end: string }[]): WorkingHours =>
  Object.fromEntries(WEEKDAYS.map((day) => [day, slots]));

// ---------------------------------------------------------------------------------------------------------
// Pages (a child page names its parent's slug; parents come first)

type PageSeed = Localised<
  SeedRow<'pages', 'parent_id' | 'published_at' | 'status'>,
  'title' | 'excerpt' | 'content' | 'meta_title' | 'meta_description'
> & { parent?: string; blocks: JsonValue[] };

const PAGES: PageSeed[] = [
  {
    slug: 'home',
    sort_order: 0,
    title: { en: 'Home', de: 'Startseite' },
    excerpt: {
      en: 'voltAIc Systems helps mid-sized companies turn artificial intelligence into measurable results.',
      de: 'voltAIc Systems hilft mittelständischen Unternehmen, künstliche Intelligenz in messbare Ergebnisse zu verwandeln.',
    },
    content: {
      en: 'We are an independent AI consultancy based in Germany. From the first strategy workshop to systems running in production, we accompany you at every step: pragmatically, transparently and in line with European regulation.',
      de: 'Wir sind eine unabhängige KI-Beratung aus Deutschland. Vom ersten Strategie-Workshop bis zum produktiven System begleiten wir Sie bei jedem Schritt: pragmatisch, transparent und im Einklang mit europäischer Regulierung.',
    },
    meta_title: {
      en: 'voltAIc Systems | AI consulting for mid-sized companies',
      de: 'voltAIc Systems | KI-Beratung für den Mittelstand',
    },
    meta_description: {
      en: 'Strategy, implementation and training for artificial intelligence, from an independent consultancy in Germany.',
      de: 'Strategie, Umsetzung und Schulung rund um künstliche Intelligenz – von einer unabhängigen Beratung aus Deutschland.',
    },
    blocks: [
      {
        type: 'hero',
        heading: { en: 'AI that works for your business', de: 'KI, die für Ihr Unternehmen arbeitet' },
        subheading: {
          en: 'From the first idea to a system your teams rely on every day.',
          de: 'Von der ersten Idee bis zum System, auf das sich Ihre Teams jeden Tag verlassen.',
        },
        cta: {
          label: { en: 'Book a free consultation', de: 'Kostenloses Erstgespräch buchen' },
          href: '/contact',
        },
      },
      {
        type: 'features',
        items: [
          {
            title: { en: 'Strategy', de: 'Strategie' },
            text: {
              en: 'Find the use cases that pay off.',
              de: 'Finden Sie die Anwendungsfälle, die sich wirklich lohnen.',
            },
          },
          {
            title: { en: 'Implementation', de: 'Umsetzung' },
            text: {
              en: 'Secure, tested solutions built on your data.',
              de: 'Sichere, geprüfte Lösungen auf Basis Ihrer Daten.',
            },
          },
          {
            title: { en: 'Enablement', de: 'Befähigung' },
            text: {
              en: 'Teams that understand and trust their tools.',
              de: 'Teams, die ihre Werkzeuge verstehen und ihnen vertrauen.',
            },
          },
        ],
      },
    ],
  },
  {
    slug: 'about',
    sort_order: 1,
    title: { en: 'About us', de: 'Über uns' },
    excerpt: {
      en: 'Engineers and strategists who bring AI from research into everyday business.',
      de: 'Ingenieurinnen, Ingenieure und Strategen, die KI aus der Forschung in den Geschäftsalltag bringen.',
    },
    content: {
      en: 'voltAIc Systems bridges the gap between research and everyday business. Our team combines years of experience in machine learning, software engineering and change management, and we measure ourselves by one thing: whether the solution is still in use a year later.',
      de: 'voltAIc Systems schlägt die Brücke zwischen Forschung und Geschäftsalltag. Unser Team vereint langjährige Erfahrung in maschinellem Lernen, Softwareentwicklung und Change-Management – und wir messen uns an einer Sache: ob die Lösung ein Jahr später noch genutzt wird.',
    },
    meta_title: { en: 'About voltAIc Systems', de: 'Über voltAIc Systems' },
    meta_description: {
      en: 'Who we are, how we work and why independent AI advice matters.',
      de: 'Wer wir sind, wie wir arbeiten und warum unabhängige KI-Beratung wichtig ist.',
    },
    blocks: [
      {
        type: 'hero',
        heading: { en: 'Independent. Pragmatic. European.', de: 'Unabhängig. Pragmatisch. Europäisch.' },
      },
      {
        type: 'values',
        items: [
          {
            en: 'We recommend what works, not what we resell.',
            de: 'Wir empfehlen, was funktioniert – nicht, was wir weiterverkaufen.',
          },
          { en: 'Your data stays yours.', de: 'Ihre Daten bleiben Ihre Daten.' },
          {
            en: 'We hand over knowledge, not dependencies.',
            de: 'Wir übergeben Wissen, keine Abhängigkeiten.',
          },
        ],
      },
    ],
  },
  {
    slug: 'team',
    parent: 'about',
    sort_order: 0,
    title: { en: 'Our team', de: 'Unser Team' },
    excerpt: {
      en: 'Meet the consultants behind voltAIc Systems.',
      de: 'Lernen Sie die Beraterinnen und Berater von voltAIc Systems kennen.',
    },
    content: {
      en: 'Our consultants work in German and English and have delivered AI projects in manufacturing, logistics, finance and the public sector. Book a conversation with any of them directly.',
      de: 'Unsere Beraterinnen und Berater arbeiten auf Deutsch und Englisch und haben KI-Projekte in Industrie, Logistik, Finanzwesen und öffentlicher Verwaltung umgesetzt. Buchen Sie direkt ein Gespräch mit ihnen.',
    },
    meta_title: { en: 'Our team | voltAIc Systems', de: 'Unser Team | voltAIc Systems' },
    meta_description: {
      en: 'The AI strategists, engineers and trainers of voltAIc Systems.',
      de: 'Die KI-Strategen, Ingenieure und Trainerinnen von voltAIc Systems.',
    },
    blocks: [{ type: 'consultant_list', show_booking_button: true }],
  },
  {
    slug: 'services',
    sort_order: 2,
    title: { en: 'Services', de: 'Leistungen' },
    excerpt: {
      en: 'AI strategy, implementation and training from a single source.',
      de: 'KI-Strategie, Umsetzung und Schulung aus einer Hand.',
    },
    content: {
      en: 'We assess your AI readiness, develop tailor-made solutions with large language models and train your teams to use them confidently. Every engagement starts with a clear business case and ends with a handover your people can own.',
      de: 'Wir bewerten Ihren KI-Reifegrad, entwickeln maßgeschneiderte Lösungen mit großen Sprachmodellen und schulen Ihre Teams im sicheren Umgang damit. Jedes Projekt beginnt mit einem klaren Business Case und endet mit einer Übergabe, die Ihre Mitarbeitenden eigenständig weiterführen können.',
    },
    meta_title: {
      en: 'AI consulting services | voltAIc Systems',
      de: 'KI-Beratungsleistungen | voltAIc Systems',
    },
    meta_description: {
      en: 'AI readiness assessments, LLM solutions, RAG systems, EU AI Act compliance and training.',
      de: 'KI-Reifegradanalysen, LLM-Lösungen, RAG-Systeme, Umsetzung des EU AI Act und Schulungen.',
    },
    blocks: [
      { type: 'hero', heading: { en: 'What we do', de: 'Was wir tun' } },
      {
        type: 'service_list',
        items: [
          {
            title: { en: 'AI readiness assessment', de: 'KI-Reifegradanalyse' },
            text: {
              en: 'A two-week review of your data, processes and skills, with a prioritised roadmap.',
              de: 'Eine zweiwöchige Analyse Ihrer Daten, Prozesse und Kompetenzen mit einer priorisierten Roadmap.',
            },
          },
          {
            title: { en: 'LLM and RAG solutions', de: 'LLM- und RAG-Lösungen' },
            text: {
              en: 'Assistants that answer from your own documents, hosted in Europe or on your premises.',
              de: 'Assistenten, die aus Ihren eigenen Dokumenten antworten – gehostet in Europa oder bei Ihnen vor Ort.',
            },
          },
          {
            title: { en: 'Governance and training', de: 'Governance und Schulung' },
            text: {
              en: 'EU AI Act readiness and hands-on workshops for every level of your organisation.',
              de: 'Vorbereitung auf den EU AI Act und praxisnahe Workshops für alle Ebenen Ihrer Organisation.',
            },
          },
        ],
      },
    ],
  },
  {
    slug: 'contact',
    sort_order: 3,
    title: { en: 'Contact', de: 'Kontakt' },
    excerpt: { en: 'Tell us about your project.', de: 'Erzählen Sie uns von Ihrem Vorhaben.' },
    content: {
      en: 'Tell us about your project. We usually reply within one business day, or you can book a free 30-minute consultation with one of our consultants right away.',
      de: 'Erzählen Sie uns von Ihrem Vorhaben. Wir antworten in der Regel innerhalb eines Werktags – oder Sie buchen direkt ein kostenloses 30-minütiges Erstgespräch mit einer unserer Beraterinnen oder einem unserer Berater.',
    },
    meta_title: { en: 'Contact | voltAIc Systems', de: 'Kontakt | voltAIc Systems' },
    meta_description: {
      en: 'Get in touch with voltAIc Systems or book a free initial consultation.',
      de: 'Nehmen Sie Kontakt mit voltAIc Systems auf oder buchen Sie ein kostenloses Erstgespräch.',
    },
    blocks: [
      { type: 'contact_form', recipient: `hello@${DOMAIN}` },
      { type: 'booking_widget', duration: 30 },
    ],
  },
  {
    slug: 'privacy',
    sort_order: 4,
    title: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
    excerpt: {
      en: 'How we handle your personal data.',
      de: 'Wie wir mit Ihren personenbezogenen Daten umgehen.',
    },
    content: {
      en: 'We process personal data only in accordance with the EU General Data Protection Regulation (GDPR). This page explains which data we collect when you visit our website, register for a webinar or download a whitepaper, why we do so, how long we keep it and which rights you have.',
      de: 'Wir verarbeiten personenbezogene Daten ausschließlich im Einklang mit der Datenschutz-Grundverordnung (DSGVO). Auf dieser Seite erfahren Sie, welche Daten wir erheben, wenn Sie unsere Website besuchen, sich für ein Webinar anmelden oder ein Whitepaper herunterladen, warum wir das tun, wie lange wir sie speichern und welche Rechte Sie haben.',
    },
    meta_title: { en: 'Privacy policy | voltAIc Systems', de: 'Datenschutzerklärung | voltAIc Systems' },
    meta_description: {
      en: 'Information on the processing of personal data under the GDPR.',
      de: 'Informationen zur Verarbeitung personenbezogener Daten nach der DSGVO.',
    },
    blocks: [
      {
        type: 'text',
        heading: { en: 'Your rights', de: 'Ihre Rechte' },
        body: {
          en: `You may request access to, correction or deletion of your data at any time, and withdraw any consent you have given. Write to us at privacy@${DOMAIN}.`,
          de: `Sie können jederzeit Auskunft über Ihre Daten sowie deren Berichtigung oder Löschung verlangen und erteilte Einwilligungen widerrufen. Schreiben Sie uns an privacy@${DOMAIN}.`,
        },
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------
// Consultants

type ConsultantSeed = Localised<SeedRow<'consultants'>, 'biography'> & {
  languages: Locale[];
  working_hours: WorkingHours;
};

const CONSULTANTS: ConsultantSeed[] = [
  {
    first_name: 'Lena',
    last_name: 'Hoffmann',
    title: 'Managing Partner & AI Strategist',
    email: `lena.hoffmann@${DOMAIN}`,
    expertise: ['AI strategy', 'EU AI Act', 'Change management'],
    languages: ['de', 'en'],
    timezone: 'Europe/Berlin',
    working_hours: weekdays({ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }),
    biography: {
      en: 'Lena has spent fifteen years helping industrial companies adopt new technology. Before founding voltAIc Systems she led the data science practice of a large engineering group. She holds a doctorate in computer science and advises boards on AI strategy and the EU AI Act.',
      de: 'Lena unterstützt seit fünfzehn Jahren Industrieunternehmen bei der Einführung neuer Technologien. Vor der Gründung von voltAIc Systems leitete sie den Data-Science-Bereich eines großen Maschinenbaukonzerns. Sie ist promovierte Informatikerin und berät Vorstände zu KI-Strategie und EU AI Act.',
    },
  },
  {
    first_name: 'Markus',
    last_name: 'Becker',
    title: 'Lead Machine Learning Engineer',
    email: `markus.becker@${DOMAIN}`,
    expertise: ['Large language models', 'Retrieval-augmented generation', 'MLOps'],
    languages: ['de', 'en'],
    timezone: 'Europe/Berlin',
    working_hours: weekdays({ start: '08:00', end: '16:00' }),
    biography: {
      en: 'Markus builds AI systems that hold up in production. He specialises in retrieval-augmented generation, model evaluation and the infrastructure needed to run language models securely on-premises or in European clouds.',
      de: 'Markus baut KI-Systeme, die sich im produktiven Betrieb bewähren. Sein Schwerpunkt liegt auf Retrieval-Augmented Generation, der Evaluierung von Modellen und der Infrastruktur, mit der sich Sprachmodelle sicher im eigenen Rechenzentrum oder in europäischen Clouds betreiben lassen.',
    },
  },
  {
    first_name: 'Aylin',
    last_name: 'Yılmaz',
    title: 'Data Governance & Enablement Consultant',
    email: `aylin.yilmaz@${DOMAIN}`,
    expertise: ['Data governance', 'GDPR', 'AI training'],
    languages: ['en', 'de'],
    timezone: 'Europe/Berlin',
    working_hours: weekdays({ start: '10:00', end: '18:00' }),
    biography: {
      en: 'Aylin makes sure AI projects rest on solid data and well-prepared teams. She designs data governance frameworks, advises on GDPR questions and runs our hands-on training programmes.',
      de: 'Aylin sorgt dafür, dass KI-Projekte auf einer soliden Datenbasis und gut vorbereiteten Teams aufbauen. Sie entwickelt Data-Governance-Konzepte, berät zu Fragen der DSGVO und leitet unsere praxisnahen Schulungsprogramme.',
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Webinars: topics (keyed by English title), speakers (keyed by e-mail), sessions (keyed by slug)

type TopicSeed = Localised<SeedRow<'webinar_topics'>, 'title' | 'description' | 'target_audience'> & {
  learning_objectives: Record<Locale, string[]>;
};

const TOPICS: TopicSeed[] = [
  {
    title: {
      en: 'AI readiness: where does your company stand?',
      de: 'KI-Reifegrad: Wo steht Ihr Unternehmen?',
    },
    description: {
      en: 'A practical introduction to assessing data, processes and skills before investing in artificial intelligence.',
      de: 'Eine praxisnahe Einführung, wie Sie Daten, Prozesse und Kompetenzen bewerten, bevor Sie in künstliche Intelligenz investieren.',
    },
    learning_objectives: {
      en: ['Identify promising use cases', 'Judge the quality of your data', 'Plan the first 90 days'],
      de: [
        'Erfolgversprechende Anwendungsfälle erkennen',
        'Die Qualität Ihrer Daten beurteilen',
        'Die ersten 90 Tage planen',
      ],
    },
    target_audience: {
      en: 'Managing directors and department heads of mid-sized companies.',
      de: 'Geschäftsführungen und Abteilungsleitungen mittelständischer Unternehmen.',
    },
    default_duration: 60,
    default_price: '0.00',
    default_capacity: 100,
    category: 'strategy',
    tags: ['ai-readiness', 'strategy'],
    difficulty_level: 'beginner',
  },
  {
    title: {
      en: 'Retrieval-augmented generation in practice',
      de: 'Retrieval-Augmented Generation in der Praxis',
    },
    description: {
      en: 'How to build assistants that answer reliably from your own documents, and how to measure whether they do.',
      de: 'Wie Sie Assistenten bauen, die zuverlässig aus Ihren eigenen Dokumenten antworten – und wie Sie messen, ob sie es tun.',
    },
    learning_objectives: {
      en: [
        'Design a RAG architecture',
        'Choose chunking and retrieval strategies',
        'Evaluate answer quality',
      ],
      de: [
        'Eine RAG-Architektur entwerfen',
        'Chunking- und Retrieval-Strategien wählen',
        'Die Antwortqualität bewerten',
      ],
    },
    target_audience: {
      en: 'Software engineers, data scientists and technical product owners.',
      de: 'Softwareentwicklerinnen und -entwickler, Data Scientists und technische Product Owner.',
    },
    default_duration: 90,
    default_price: '149.00',
    default_capacity: 40,
    category: 'engineering',
    tags: ['llm', 'rag', 'engineering'],
    difficulty_level: 'intermediate',
  },
  {
    title: {
      en: 'Implementing the EU AI Act: governance and compliance',
      de: 'Den EU AI Act umsetzen: Governance und Compliance',
    },
    description: {
      en: 'Risk classes, documentation duties and the governance structures that keep your AI systems compliant.',
      de: 'Risikoklassen, Dokumentationspflichten und die Governance-Strukturen, mit denen Ihre KI-Systeme rechtskonform bleiben.',
    },
    learning_objectives: {
      en: ['Classify your AI systems by risk', 'Set up an AI inventory', 'Define roles and responsibilities'],
      de: [
        'KI-Systeme nach Risiko einstufen',
        'Ein KI-Inventar aufbauen',
        'Rollen und Verantwortlichkeiten festlegen',
      ],
    },
    target_audience: {
      en: 'Compliance officers, data protection officers and IT leaders.',
      de: 'Compliance-Verantwortliche, Datenschutzbeauftragte und IT-Leitungen.',
    },
    default_duration: 75,
    default_price: '0.00',
    default_capacity: 150,
    category: 'governance',
    tags: ['eu-ai-act', 'governance', 'compliance'],
    difficulty_level: 'advanced',
  },
];

type SpeakerSeed = Localised<SeedRow<'webinar_speakers', 'consultant_id'>, 'biography'> & {
  /** The e-mail of the consultant this speaker is. */
  consultant?: string;
};

const SPEAKERS: SpeakerSeed[] = [
  {
    first_name: 'Lena',
    last_name: 'Hoffmann',
    title: 'Dr.',
    email: `lena.hoffmann@${DOMAIN}`,
    company: 'voltAIc Systems',
    position: 'Managing Partner',
    expertise: ['AI strategy', 'EU AI Act'],
    consultant: `lena.hoffmann@${DOMAIN}`,
    biography: {
      en: 'Lena is Managing Partner of voltAIc Systems and speaks regularly about AI strategy and regulation for mid-sized companies.',
      de: 'Lena ist Managing Partner von voltAIc Systems und spricht regelmäßig über KI-Strategie und Regulierung für den Mittelstand.',
    },
  },
  {
    first_name: 'Jonas',
    last_name: 'Richter',
    title: 'Dr.',
    email: 'jonas.richter@nordwind-logistik.example',
    company: 'Nordwind Logistik GmbH',
    position: 'Head of Data & AI',
    expertise: ['Retrieval-augmented generation', 'Knowledge management'],
    biography: {
      en: 'Jonas leads the data and AI team of a logistics company with 4,000 employees, where he introduced a company-wide assistant that answers questions from thousands of internal documents.',
      de: 'Jonas leitet das Daten- und KI-Team eines Logistikunternehmens mit 4.000 Beschäftigten und hat dort einen unternehmensweiten Assistenten eingeführt, der Fragen aus Tausenden interner Dokumente beantwortet.',
    },
  },
];

type SessionSeed = Localised<
  SeedRow<
    'webinar_sessions',
    'topic_id' | 'speaker_id' | 'datetime' | 'registration_opens_at' | 'registration_closes_at' | 'status'
  >,
  'title' | 'description'
> & {
  /** The topic's English title. */
  topic: string;
  /** The speaker's e-mail. */
  speaker: string;
  /** Starts this many days after `now`, at 10:00 UTC. */
  daysAhead: number;
  duration: number;
  capacity: number;
};

const SESSIONS: SessionSeed[] = [
  {
    slug: 'ai-readiness-where-do-you-stand',
    topic: 'AI readiness: where does your company stand?',
    speaker: `lena.hoffmann@${DOMAIN}`,
    daysAhead: 14,
    duration: 60,
    price: '0.00',
    capacity: 100,
    title: {
      en: 'AI readiness: where does your company stand?',
      de: 'KI-Reifegrad: Wo steht Ihr Unternehmen?',
    },
    description: {
      en: 'In one hour, Dr. Lena Hoffmann walks you through a proven readiness check and shows how three mid-sized companies found their first profitable AI use case.',
      de: 'In einer Stunde führt Dr. Lena Hoffmann Sie durch einen bewährten Reifegrad-Check und zeigt, wie drei mittelständische Unternehmen ihren ersten rentablen KI-Anwendungsfall gefunden haben.',
    },
  },
  {
    slug: 'rag-in-practice',
    topic: 'Retrieval-augmented generation in practice',
    speaker: 'jonas.richter@nordwind-logistik.example',
    daysAhead: 28,
    duration: 90,
    price: '149.00',
    capacity: 40,
    title: {
      en: 'RAG in practice: lessons from a company-wide assistant',
      de: 'RAG in der Praxis: Erfahrungen mit einem unternehmensweiten Assistenten',
    },
    description: {
      en: 'Dr. Jonas Richter shares the architecture, the pitfalls and the evaluation method behind an assistant used by 4,000 employees every day.',
      de: 'Dr. Jonas Richter teilt die Architektur, die Stolpersteine und die Evaluierungsmethode hinter einem Assistenten, den 4.000 Beschäftigte täglich nutzen.',
    },
  },
  {
    slug: 'eu-ai-act-governance',
    topic: 'Implementing the EU AI Act: governance and compliance',
    speaker: `lena.hoffmann@${DOMAIN}`,
    daysAhead: 42,
    duration: 75,
    price: '0.00',
    capacity: 150,
    title: {
      en: 'The EU AI Act: what you need to do now',
      de: 'Der EU AI Act: Was Sie jetzt tun müssen',
    },
    description: {
      en: 'Which obligations apply to your AI systems, and by when? A structured overview with a checklist for your next steps.',
      de: 'Welche Pflichten gelten für Ihre KI-Systeme, und ab wann? Ein strukturierter Überblick mit einer Checkliste für Ihre nächsten Schritte.',
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Whitepapers (keyed by slug)

type WhitepaperSeed = Localised<
  SeedRow<'whitepapers', 'publication_date' | 'status'>,
  'title' | 'description' | 'summary' | 'author_bio'
> & {
  /** Published this many days before `now`. */
  publishedDaysAgo: number;
  file_size: number;
};

const WHITEPAPERS: WhitepaperSeed[] = [
  {
    slug: 'ai-readiness',
    publishedDaysAgo: 60,
    title: {
      en: 'The AI Readiness Guide for Mid-Sized Companies',
      de: 'Der Leitfaden zum KI-Reifegrad für den Mittelstand',
    },
    description: {
      en: 'A step-by-step framework to assess your data, processes and skills before you invest in AI.',
      de: 'Ein schrittweises Vorgehensmodell, mit dem Sie Daten, Prozesse und Kompetenzen bewerten, bevor Sie in KI investieren.',
    },
    summary: {
      en: 'Includes a self-assessment questionnaire, a scoring model across six dimensions and a template for a 90-day roadmap.',
      de: 'Mit Fragebogen zur Selbsteinschätzung, einem Bewertungsmodell über sechs Dimensionen und einer Vorlage für eine 90-Tage-Roadmap.',
    },
    author_name: 'Dr. Lena Hoffmann',
    author_title: 'Managing Partner, voltAIc Systems',
    author_email: `lena.hoffmann@${DOMAIN}`,
    author_bio: {
      en: 'Lena advises boards and managing directors on AI strategy and regulation.',
      de: 'Lena berät Vorstände und Geschäftsführungen zu KI-Strategie und Regulierung.',
    },
    page_count: 24,
    word_count: 7800,
    file_path: 'whitepapers/ai-readiness.pdf',
    file_size: 2_457_600,
    category: 'strategy',
    tags: ['ai-readiness', 'strategy', 'mittelstand'],
    keywords: ['AI readiness', 'KI-Reifegrad', 'AI roadmap'],
    difficulty_level: 'beginner',
    is_featured: true,
  },
  {
    slug: 'rag-architecture',
    publishedDaysAgo: 21,
    title: {
      en: 'Building Reliable RAG Systems: Architecture, Evaluation and Operations',
      de: 'Zuverlässige RAG-Systeme bauen: Architektur, Evaluierung und Betrieb',
    },
    description: {
      en: 'A technical guide to assistants that answer from your company knowledge without making things up.',
      de: 'Ein technischer Leitfaden für Assistenten, die aus Ihrem Unternehmenswissen antworten, ohne etwas zu erfinden.',
    },
    summary: {
      en: 'Covers document preparation, retrieval strategies, evaluation metrics, monitoring and GDPR-compliant hosting options in Europe.',
      de: 'Behandelt Dokumentenaufbereitung, Retrieval-Strategien, Evaluierungsmetriken, Monitoring sowie DSGVO-konforme Hosting-Optionen in Europa.',
    },
    author_name: 'Markus Becker',
    author_title: 'Lead Machine Learning Engineer, voltAIc Systems',
    author_email: `markus.becker@${DOMAIN}`,
    author_bio: {
      en: 'Markus designs and operates language model systems for industrial and public-sector clients.',
      de: 'Markus entwirft und betreibt Sprachmodell-Systeme für Kunden aus Industrie und öffentlichem Sektor.',
    },
    page_count: 36,
    word_count: 12400,
    file_path: 'whitepapers/rag-architecture.pdf',
    file_size: 3_932_160,
    category: 'engineering',
    tags: ['llm', 'rag', 'architecture'],
    keywords: ['retrieval-augmented generation', 'LLM evaluation', 'RAG'],
    difficulty_level: 'advanced',
  },
];

// ---------------------------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;
/** 10:00 UTC, `days` calendar days after `now`. */
const daysAfter = (now: Date, days: number): Date =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, 10));
const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/** The id a natural key of the demo data refers to (a typo in the constants above fails loudly). */
function idOf(ids: Map<string, string>, key: string): string {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`demo data refers to unknown ${key}`);
  return id;
}

/** Fills a database with the voltAIc Systems demo, creating only what is missing. */
export async function seedDemo(
  db: Kysely<DB> | Transaction<DB>,
  actorId: string,
  now: Date = new Date(),
): Promise<DemoReport> {
  // All or nothing; the caller's transaction (and audit context) is used when there is one.
  if (!db.isTransaction) return writeTransaction(db, SYSTEM_ACTOR, (trx) => seedDemo(trx, actorId, now));

  const created = Object.fromEntries(DEMO_TABLES.map((table) => [table, 0])) as Record<DemoTable, number>;
  const audit = { created_by: actorId, updated_by: actorId };

  /** The id of the live row matching `key`, inserting `row` first when there is none. */
  async function insertIfMissing<T extends DemoTable>(
    table: T,
    key: NaturalKey,
    row: Insertable<DB[T]>,
  ): Promise<string> {
    const { id, inserted } = await findOrInsert(db, table, key, row);
    if (inserted) created[table] += 1;
    return id;
  }

  const pageIds = new Map<string, string>();
  for (const { parent, ...page } of PAGES) {
    const parent_id = parent === undefined ? null : idOf(pageIds, parent);
    const row = { ...page, ...audit, parent_id, status: 'published', published_at: now };
    pageIds.set(page.slug, await insertIfMissing('pages', bySlug(page.slug), row));
  }

  const consultantIds = new Map<string, string>();
  for (const consultant of CONSULTANTS) {
    const id = await insertIfMissing('consultants', byEmail(consultant.email), { ...consultant, ...audit });
    consultantIds.set(consultant.email, id);
  }

  const topicIds = new Map<string, string>();
  for (const topic of TOPICS) {
    const id = await insertIfMissing('webinar_topics', byEnglishTitle(topic.title.en), {
      ...topic,
      ...audit,
    });
    topicIds.set(topic.title.en, id);
  }

  const speakerIds = new Map<string, string>();
  for (const { consultant, ...speaker } of SPEAKERS) {
    const consultant_id = consultant === undefined ? null : idOf(consultantIds, consultant);
    const id = await insertIfMissing('webinar_speakers', byEmail(speaker.email), {
      ...speaker,
      ...audit,
      consultant_id,
    });
    speakerIds.set(speaker.email, id);
  }

  for (const { topic, speaker, daysAhead, ...session } of SESSIONS) {
    const datetime = daysAfter(now, daysAhead);
    await insertIfMissing('webinar_sessions', bySlug(session.slug), {
      ...session,
      ...audit,
      topic_id: idOf(topicIds, topic),
      speaker_id: idOf(speakerIds, speaker),
      datetime,
      status: 'published',
      registration_opens_at: now,
      registration_closes_at: new Date(datetime.getTime() - 60 * 60 * 1000),
    });
  }

  for (const { publishedDaysAgo, ...whitepaper } of WHITEPAPERS) {
    await insertIfMissing('whitepapers', bySlug(whitepaper.slug), {
      ...whitepaper,
      ...audit,
      status: 'published',
      publication_date: isoDate(new Date(now.getTime() - publishedDaysAgo * DAY_MS)),
    });
  }

  return { created };
}
