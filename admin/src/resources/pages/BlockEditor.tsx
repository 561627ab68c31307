// The page builder: the page's blocks in order, each with its own form (its texts in English and German side by
// side), added from a menu of every block type the API knows, moved up and down, duplicated and removed.
import AddIcon from '@mui/icons-material/Add';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DeleteIcon from '@mui/icons-material/DeleteOutlined';
import {
  Box,
  Button,
  IconButton,
  ListItemText,
  Menu,
  MenuItem,
  Paper,
  Stack,
  Tooltip,
  Typography,
} from '@mui/material';
import { memo, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  BooleanInput,
  email,
  maxValue,
  minValue,
  NumberInput,
  required,
  TextInput,
  useLocaleState,
  useTranslate,
  type Validator,
} from 'react-admin';
import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { BilingualInput } from '../../components/Bilingual.tsx';
import { MediaInput } from '../../components/MediaPicker.tsx';
import { ConsultantsInput } from './ConsultantPicker.tsx';
import {
  BLOCK_FIELDS,
  BLOCK_TYPES,
  emptyBlock,
  emptyItem,
  HREF_PATTERN,
  inLanguage,
  isBlockType,
  type BlockType,
  type FieldSpec,
} from './model.ts';

/** The value at a dotted path of the form's values. */
export function valueAt(values: unknown, path: string): unknown {
  let at: unknown = values;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';

/** An optional bilingual text: German alone is not enough, the English is the fallback for everyone. */
export function englishWhenGerman(source: string): Validator {
  return (value: unknown, values: unknown) =>
    !filled(value) && filled(valueAt(values, `${source}.de`))
      ? 'magnetiq.pages.validation.english_needed'
      : undefined;
}

function hrefValidator(source: string, requiredLink: boolean): Validator {
  return (value: unknown, values: unknown) => {
    const label = valueAt(values, `${source}.label`) as { en?: unknown; de?: unknown } | undefined;
    const needed = requiredLink || filled(label?.en) || filled(label?.de);
    if (!filled(value)) return needed ? 'magnetiq.pages.validation.link_needed' : undefined;
    return HREF_PATTERN.test(String(value).trim()) ? undefined : 'magnetiq.pages.validation.href';
  };
}

function linkLabelValidator(source: string, requiredLink: boolean): Validator {
  return (value: unknown, values: unknown) =>
    !filled(value) && (requiredLink || filled(valueAt(values, `${source}.href`)))
      ? 'magnetiq.pages.validation.label_needed'
      : undefined;
}

/** One field of a block (or of an item of its list), by what it is. */
function FieldInput({
  name,
  spec,
  source,
  blockType,
}: {
  name: string;
  spec: FieldSpec;
  source: string;
  blockType: BlockType;
}) {
  const translate = useTranslate();
  const label = translate(`magnetiq.pages.blocks.fields.${name}`);
  switch (spec.kind) {
    case 'text':
      return (
        <BilingualInput
          source={source}
          label={label}
          required={spec.required ?? false}
          multiline={spec.multiline ?? false}
          maxLength={spec.max}
          validate={spec.required ? [required()] : [englishWhenGerman(source)]}
        />
      );
    case 'link':
      return (
        <Box
          sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5 }}
          role="group"
          aria-label={label}
        >
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
            {label}
            {spec.required ? ' *' : ''}
          </Typography>
          <BilingualInput
            source={`${source}.label`}
            label={translate('magnetiq.pages.blocks.fields.link_label')}
            required={spec.required ?? false}
            maxLength={100}
            validate={[linkLabelValidator(source, spec.required ?? false)]}
          />
          <TextInput
            source={`${source}.href`}
            label={translate('magnetiq.pages.blocks.fields.href')}
            helperText={translate('magnetiq.pages.blocks.fields.href_help')}
            isRequired={spec.required ?? false}
            validate={[hrefValidator(source, spec.required ?? false)]}
            slotProps={{ htmlInput: { maxLength: 500 } }}
            fullWidth
          />
        </Box>
      );
    case 'media':
      return (
        <MediaInput
          source={source}
          label={label}
          required={spec.required ?? false}
          pickerTitle={translate('magnetiq.pages.media.choose_title')}
        />
      );
    case 'boolean':
      return <BooleanInput source={source} label={label} />;
    case 'integer':
      return (
        <NumberInput
          source={source}
          label={label}
          min={spec.min}
          max={spec.max}
          step={1}
          fullWidth={false}
          sx={{ minWidth: 200 }}
          validate={[minValue(spec.min), maxValue(spec.max)]}
          helperText={translate('magnetiq.pages.blocks.range', { min: spec.min, max: spec.max })}
        />
      );
    case 'email':
      return (
        <TextInput
          source={source}
          label={label}
          type="email"
          validate={[email()]}
          helperText={translate('magnetiq.pages.blocks.fields.recipient_help')}
          fullWidth
        />
      );
    case 'consultant':
      return <ConsultantsInput source={source} label={label} multiple={false} />;
    case 'consultants':
      return <ConsultantsInput source={source} label={label} multiple />;
    case 'items':
    case 'texts':
      return <ItemsEditor source={source} spec={spec} label={label} blockType={blockType} />;
  }
}

/** A block's list (FAQ entries, gallery images, columns, …): add, move, remove, within the API's limits. */
function ItemsEditor({
  source,
  spec,
  label,
  blockType,
}: {
  source: string;
  spec: Extract<FieldSpec, { kind: 'items' | 'texts' }>;
  label: string;
  blockType: BlockType;
}) {
  const translate = useTranslate();
  const { fields, append, remove, move } = useFieldArray({ name: source });
  const itemName = translate(`magnetiq.pages.blocks.item.${blockType}`);
  const headingId = useId();
  return (
    <Box role="group" aria-labelledby={headingId}>
      <Typography id={headingId} variant="subtitle2" sx={{ mb: 1 }}>
        {label}
      </Typography>
      <Stack spacing={1.5}>
        {fields.map((item, index) => (
          <Box key={item.id} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5 }}>
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, mb: 1 }}>
              <Typography
                variant="body2"
                sx={{ fontWeight: 500, flexGrow: 1, '&::first-letter': { textTransform: 'uppercase' } }}
              >
                {itemName} {index + 1}
              </Typography>
              <ToolButton
                label={translate('magnetiq.pages.blocks.item_up', { name: itemName, n: index + 1 })}
                disabled={index === 0}
                onClick={() => {
                  move(index, index - 1);
                }}
              >
                <ArrowUpwardIcon fontSize="small" />
              </ToolButton>
              <ToolButton
                label={translate('magnetiq.pages.blocks.item_down', { name: itemName, n: index + 1 })}
                disabled={index === fields.length - 1}
                onClick={() => {
                  move(index, index + 1);
                }}
              >
                <ArrowDownwardIcon fontSize="small" />
              </ToolButton>
              <ToolButton
                label={translate('magnetiq.pages.blocks.item_remove', { name: itemName, n: index + 1 })}
                disabled={fields.length <= spec.min}
                onClick={() => {
                  remove(index);
                }}
              >
                <DeleteIcon fontSize="small" />
              </ToolButton>
            </Box>
            {spec.kind === 'texts' ? (
              <BilingualInput
                source={`${source}.${String(index)}`}
                label={itemName}
                required
                maxLength={spec.maxLength}
                validate={[required()]}
              />
            ) : (
              <Stack spacing={1}>
                {Object.entries(spec.item).map(([name, itemSpec]) => (
                  <FieldInput
                    key={name}
                    name={name}
                    spec={itemSpec}
                    source={`${source}.${String(index)}.${name}`}
                    blockType={blockType}
                  />
                ))}
              </Stack>
            )}
          </Box>
        ))}
      </Stack>
      <Button
        size="small"
        startIcon={<AddIcon />}
        disabled={fields.length >= spec.max}
        onClick={() => {
          append(emptyItem(spec));
        }}
        sx={{ mt: 1 }}
      >
        {translate('magnetiq.pages.blocks.add_item', { name: itemName })}
      </Button>
    </Box>
  );
}

function ToolButton({
  label,
  disabled,
  onClick,
  children,
  id,
}: {
  label: string;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
  id?: string;
}) {
  const button = (
    <IconButton size="small" aria-label={label} disabled={disabled} onClick={onClick} id={id}>
      {children}
    </IconButton>
  );
  // A disabled button gets no pointer events: the tooltip needs a wrapper to listen.
  return (
    <Tooltip title={label}>
      <span>{button}</span>
    </Tooltip>
  );
}

/** A line that tells blocks apart in their header: the first text of the block, in the panel's language. */
function BlockSummary({ index }: { index: number }) {
  const [locale] = useLocaleState();
  const block = useWatch({ name: `blocks.${String(index)}` }) as Record<string, unknown> | undefined;
  const first = ['heading', 'text', 'body', 'alt', 'caption']
    .map((key) => inLanguage(block?.[key], locale).text)
    .find((text) => text.trim() !== '');
  if (!first) return null;
  return (
    <Typography
      variant="body2"
      sx={{
        color: 'text.secondary',
        overflow: 'hidden',
        textOverflow: 'ellipsis',
        whiteSpace: 'nowrap',
        minWidth: 0,
      }}
    >
      {first}
    </Typography>
  );
}

interface BlockActions {
  move: (from: number, to: number) => void;
  remove: (index: number) => void;
  duplicate: (index: number) => void;
}

/**
 * One block: its header (number, type, first text, the buttons) and its form. Memoised, so that adding or moving
 * a block (or opening the menu) renders only the blocks whose place changed, not every input of the page.
 */
const BlockCard = memo(function BlockCard({
  index,
  type,
  last,
  full,
  actions,
}: {
  index: number;
  type: string;
  last: boolean;
  full: boolean;
  actions: BlockActions;
}) {
  const translate = useTranslate();
  const name = isBlockType(type) ? translate(`magnetiq.pages.blocks.types.${type}`) : type;
  const key = `block-${String(index)}`;
  return (
    <Paper variant="outlined" component="section" aria-labelledby={`${key}-heading`} sx={{ p: 2 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.5, minWidth: 0 }}>
        <Typography
          id={`${key}-heading`}
          component="h3"
          variant="subtitle1"
          tabIndex={-1}
          sx={{ fontWeight: 600, flexShrink: 0 }}
        >
          {index + 1}. {name}
        </Typography>
        <Box sx={{ flexGrow: 1, minWidth: 0 }}>
          <BlockSummary index={index} />
        </Box>
        <ToolButton
          id={`${key}-up`}
          label={translate('magnetiq.pages.blocks.move_up', { n: index + 1, type: name })}
          disabled={index === 0}
          onClick={() => {
            actions.move(index, index - 1);
          }}
        >
          <ArrowUpwardIcon fontSize="small" />
        </ToolButton>
        <ToolButton
          id={`${key}-down`}
          label={translate('magnetiq.pages.blocks.move_down', { n: index + 1, type: name })}
          disabled={last}
          onClick={() => {
            actions.move(index, index + 1);
          }}
        >
          <ArrowDownwardIcon fontSize="small" />
        </ToolButton>
        <ToolButton
          label={translate('magnetiq.pages.blocks.duplicate', { n: index + 1, type: name })}
          disabled={full}
          onClick={() => {
            actions.duplicate(index);
          }}
        >
          <ContentCopyIcon fontSize="small" />
        </ToolButton>
        <ToolButton
          label={translate('magnetiq.pages.blocks.remove', { n: index + 1, type: name })}
          onClick={() => {
            actions.remove(index);
          }}
        >
          <DeleteIcon fontSize="small" />
        </ToolButton>
      </Box>
      {isBlockType(type) ? (
        <Stack spacing={1.5}>
          {Object.entries(BLOCK_FIELDS[type] as Record<string, FieldSpec>).map(([fieldName, spec]) => (
            <FieldInput
              key={fieldName}
              name={fieldName}
              spec={spec}
              source={`blocks.${String(index)}.${fieldName}`}
              blockType={type}
            />
          ))}
        </Stack>
      ) : (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {translate('magnetiq.pages.blocks.unknown', { type })}
        </Typography>
      )}
    </Paper>
  );
});

/** The "Add block" button and its menu of every block type (its own state: opening it renders no block). */
function AddBlockMenu({ disabled, onAdd }: { disabled: boolean; onAdd: (type: BlockType) => void }) {
  const translate = useTranslate();
  const [menu, setMenu] = useState<HTMLElement | null>(null);
  return (
    <>
      <Button
        variant="outlined"
        startIcon={<AddIcon />}
        sx={{ mt: 2 }}
        aria-haspopup="menu"
        aria-controls={menu ? 'pages-add-block-menu' : undefined}
        disabled={disabled}
        onClick={(event) => {
          setMenu(event.currentTarget);
        }}
      >
        {translate('magnetiq.pages.blocks.add')}
      </Button>
      <Menu
        id="pages-add-block-menu"
        anchorEl={menu}
        open={menu !== null}
        onClose={() => {
          setMenu(null);
        }}
      >
        {BLOCK_TYPES.map((type) => (
          <MenuItem
            key={type}
            onClick={() => {
              setMenu(null);
              onAdd(type);
            }}
          >
            <ListItemText
              primary={translate(`magnetiq.pages.blocks.types.${type}`)}
              secondary={translate(`magnetiq.pages.blocks.descriptions.${type}`)}
            />
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}

export const BlocksEditor = memo(function BlocksEditor() {
  const translate = useTranslate();
  const { getValues } = useFormContext();
  const { fields, append, remove, move, insert } = useFieldArray({ name: 'blocks' });
  // After a move, the focus follows the block (else it would stay on whatever block took its place).
  const [focus, setFocus] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!focus) return;
    const target = listRef.current?.querySelector<HTMLElement>(`#${CSS.escape(focus)}`);
    if (target && !(target as HTMLButtonElement).disabled) target.focus();
    else
      listRef.current
        ?.querySelector<HTMLElement>(`#${CSS.escape(focus.replace(/-(up|down)$/, '-heading'))}`)
        ?.focus();
    setFocus(null);
  }, [focus, fields]);

  const actions = useMemo<BlockActions>(
    () => ({
      move: (from, to) => {
        move(from, to);
        setFocus(`block-${String(to)}-${to < from ? 'up' : 'down'}`);
      },
      remove: (index) => {
        remove(index);
      },
      duplicate: (index) => {
        insert(index + 1, structuredClone(getValues(`blocks.${String(index)}`)) as object);
        setFocus(`block-${String(index + 1)}-heading`);
      },
    }),
    [move, remove, insert, getValues],
  );
  const count = fields.length;

  return (
    <Box ref={listRef}>
      {count === 0 && (
        <Typography role="status" sx={{ color: 'text.secondary', py: 2 }}>
          {translate('magnetiq.pages.blocks.empty')}
        </Typography>
      )}
      <Stack spacing={2}>
        {fields.map((field, index) => (
          <BlockCard
            key={field.id}
            index={index}
            type={(field as unknown as { type?: string }).type ?? ''}
            last={index === count - 1}
            full={count >= 200}
            actions={actions}
          />
        ))}
      </Stack>
      <AddBlockMenu
        disabled={count >= 200}
        onAdd={(type) => {
          append(emptyBlock(type));
          setFocus(`block-${String(count)}-heading`);
        }}
      />
    </Box>
  );
});
