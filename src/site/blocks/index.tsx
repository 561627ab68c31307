import type { FunctionComponent } from 'preact';
import type { BlockType } from '../../modules/pages/index.ts';
import { Cards, BookingWidget, ConsultantList, ContactForm, Upcoming } from './lists.tsx';
import { Gallery, Image } from './media.tsx';
import { CallToAction, Columns, Faq, Hero, Quote, RichText, Values } from './text.tsx';
import { otherLang } from '../context.ts';
import type { BlockProps, ResolvedBlock } from './types.ts';

/** One component per block type; a type added to the page builder fails the type-check until it has one. */
const COMPONENTS: Record<BlockType, FunctionComponent<BlockProps>> = {
  hero: Hero,
  rich_text: RichText,
  text: RichText,
  image: Image,
  gallery: Gallery,
  call_to_action: CallToAction,
  faq: Faq,
  quote: Quote,
  columns: Columns,
  consultant_list: ConsultantList,
  webinar_list: Upcoming,
  whitepaper_list: Upcoming,
  features: Cards,
  service_list: Cards,
  values: Values,
  contact_form: ContactForm,
  booking_widget: BookingWidget,
};

type ListProps = Omit<BlockProps, 'block' | 'first'> & {
  blocks: ResolvedBlock[];
  /** Which blocks are shown in the other language for want of texts in the page's (their lang says so). */
  fallback: ReadonlySet<number>;
  /** The index of the first of `blocks` on the page (the page shows some before the rest). */
  offset?: number;
  /** These blocks open the page: the first one's heading is the page's h1. */
  title?: boolean;
};

/** A page's blocks in order, each in a section of its own type. */
export function Blocks({ blocks, fallback, offset = 0, title = false, ...props }: ListProps) {
  return (
    <>
      {blocks.map((block, at) => {
        const index = at + offset;
        const Component = COMPONENTS[block.type as BlockType] as FunctionComponent<BlockProps> | undefined;
        if (!Component) return null;
        return (
          <div
            key={index}
            class={`block block-${block.type.replaceAll('_', '-')}`}
            lang={fallback.has(index) ? otherLang(props.ctx.lang) : undefined}
          >
            <Component block={block} first={index === 0} title={title && at === 0} {...props} />
          </div>
        );
      })}
    </>
  );
}
