// The page hierarchy: every live page under its parent, in the site's order. Pages are moved by drag and drop
// (before, after or inside another page) or, from the keyboard, with each page's up, down, indent and outdent
// buttons; the moves collect until "Save order" sends them in one reorder (one transaction on the server).
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DragIndicatorIcon from '@mui/icons-material/DragIndicator';
import FormatIndentDecreaseIcon from '@mui/icons-material/FormatIndentDecrease';
import FormatIndentIncreaseIcon from '@mui/icons-material/FormatIndentIncrease';
import ListIcon from '@mui/icons-material/List';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  CircularProgress,
  IconButton,
  Tooltip,
  Typography,
} from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import {
  CreateButton,
  Link,
  Title,
  TopToolbar,
  useCreatePath,
  useLocaleState,
  useNotify,
  useTranslate,
} from 'react-admin';
import { api } from '../../api/http.ts';
import type { Answer } from '../../api/types.ts';
import { inLanguage, type TreeNodeRecord } from './model.ts';
import { usePageTree } from './ParentInput.tsx';
import { canWrite, notifyError, StatusChip } from './parts.tsx';
import { canMove, dropped, locate, moved, reorderBody, type Move, type Position, type Tree } from './tree.ts';

const DRAG_TYPE = 'application/x-magnetiq-page';

interface DropHint {
  id: string;
  position: Position;
}

function MoveButton({
  id,
  label,
  disabled,
  onClick,
  children,
}: {
  id: string;
  label: string;
  disabled: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Tooltip title={label}>
      <span>
        <IconButton id={id} size="small" aria-label={label} disabled={disabled} onClick={onClick}>
          {children}
        </IconButton>
      </span>
    </Tooltip>
  );
}

function Node({
  node,
  tree,
  depth,
  editable,
  hint,
  dragging,
  onMove,
  onDragStart,
  onDragEnd,
  onHint,
  onDrop,
}: {
  node: TreeNodeRecord;
  tree: Tree;
  depth: number;
  editable: boolean;
  hint: DropHint | null;
  dragging: string | null;
  onMove: (id: string, move: Move) => void;
  onDragStart: (id: string) => void;
  onDragEnd: () => void;
  onHint: (hint: DropHint | null) => void;
  onDrop: (id: string, position: Position) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const createPath = useCreatePath();
  const title = inLanguage(node.title, locale).text || node.slug;
  const mine = hint?.id === node.id ? hint.position : null;

  const positionAt = (event: DragEvent<HTMLElement>): Position => {
    const box = event.currentTarget.getBoundingClientRect();
    const y = (event.clientY - box.top) / Math.max(box.height, 1);
    return y < 0.3 ? 'before' : y > 0.7 ? 'after' : 'inside';
  };

  const buttons: [Move, string, ReactNode][] = [
    ['up', 'magnetiq.pages.tree.up', <ArrowUpwardIcon key="up" fontSize="small" />],
    ['down', 'magnetiq.pages.tree.down', <ArrowDownwardIcon key="down" fontSize="small" />],
    ['outdent', 'magnetiq.pages.tree.outdent', <FormatIndentDecreaseIcon key="out" fontSize="small" />],
    ['indent', 'magnetiq.pages.tree.indent', <FormatIndentIncreaseIcon key="in" fontSize="small" />],
  ];

  return (
    <li aria-label={title}>
      <Box
        draggable={editable}
        onDragStart={(event) => {
          event.dataTransfer.setData(DRAG_TYPE, node.id);
          event.dataTransfer.effectAllowed = 'move';
          onDragStart(node.id);
        }}
        onDragEnd={onDragEnd}
        onDragOver={(event) => {
          if (!dragging || dragging === node.id) return;
          event.preventDefault();
          event.dataTransfer.dropEffect = 'move';
          const position = positionAt(event);
          if (mine !== position) onHint({ id: node.id, position });
        }}
        onDragLeave={() => {
          if (mine) onHint(null);
        }}
        onDrop={(event) => {
          event.preventDefault();
          onDrop(node.id, positionAt(event));
        }}
        data-testid={`tree-row-${node.slug}`}
        sx={{
          display: 'flex',
          alignItems: 'center',
          gap: 1,
          py: 0.5,
          pr: 1,
          pl: 1 + depth * 3,
          borderRadius: 1,
          borderTop: 2,
          borderBottom: 2,
          borderTopColor: mine === 'before' ? 'primary.main' : 'transparent',
          borderBottomColor: mine === 'after' ? 'primary.main' : 'transparent',
          bgcolor: mine === 'inside' ? 'action.selected' : dragging === node.id ? 'action.hover' : undefined,
          '&:hover': { bgcolor: 'action.hover' },
        }}
      >
        {editable && (
          <DragIndicatorIcon fontSize="small" sx={{ color: 'text.secondary', cursor: 'grab' }} aria-hidden />
        )}
        <Box sx={{ minWidth: 0, flexGrow: 1 }}>
          <Link id={`tree-${node.id}-link`} to={createPath({ resource: 'pages', type: 'edit', id: node.id })}>
            {title}
          </Link>
          <Typography
            component="span"
            variant="body2"
            sx={{ ml: 1, color: 'text.secondary', fontFamily: 'monospace', overflowWrap: 'anywhere' }}
          >
            {node.path}
          </Typography>
        </Box>
        <StatusChip status={node.status} />
        {editable &&
          buttons.map(([move, key, icon]) => (
            <MoveButton
              key={move}
              id={`tree-${node.id}-${move}`}
              label={translate(key, { title })}
              disabled={!canMove(tree, node.id, move)}
              onClick={() => {
                onMove(node.id, move);
              }}
            >
              {icon}
            </MoveButton>
          ))}
      </Box>
      {node.children.length > 0 && (
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {node.children.map((child) => (
            <Node
              key={child.id}
              node={child}
              tree={tree}
              depth={depth + 1}
              editable={editable}
              hint={hint}
              dragging={dragging}
              onMove={onMove}
              onDragStart={onDragStart}
              onDragEnd={onDragEnd}
              onHint={onHint}
              onDrop={onDrop}
            />
          ))}
        </Box>
      )}
    </li>
  );
}

function TreeActions() {
  const translate = useTranslate();
  const createPath = useCreatePath();
  return (
    <TopToolbar>
      <Button
        component={Link}
        to={createPath({ resource: 'pages', type: 'list' })}
        startIcon={<ListIcon />}
        size="small"
      >
        {translate('magnetiq.pages.tree.to_list')}
      </Button>
      {canWrite() && <CreateButton resource="pages" />}
    </TopToolbar>
  );
}

export function PageTree() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const query = usePageTree();
  const [edited, setEdited] = useState<Tree | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [hint, setHint] = useState<DropHint | null>(null);
  const [saving, setSaving] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [focus, setFocus] = useState<{ id: string; move: Move } | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const original = query.data ?? [];
  const tree = edited ?? original;
  const changes = reorderBody(original, tree);
  const editable = canWrite();

  // The focus stays with the page that moved (on the same button, or its link where that button is now off).
  useEffect(() => {
    if (!focus) return;
    const button = document.getElementById(`tree-${focus.id}-${focus.move}`) as HTMLButtonElement | null;
    if (button && !button.disabled) button.focus();
    else document.getElementById(`tree-${focus.id}-link`)?.focus();
    setFocus(null);
  }, [focus, tree]);

  const titleOf = (node: TreeNodeRecord) => inLanguage(node.title, locale).text || node.slug;

  const announce = (next: Tree, id: string) => {
    const where = locate(next, id);
    const node = where ? findNode(next, id) : null;
    if (!where || !node) return;
    setAnnouncement(
      translate(where.parent ? 'magnetiq.pages.tree.moved' : 'magnetiq.pages.tree.moved_top', {
        title: titleOf(node),
        position: where.index + 1,
        count: where.count,
        parent: where.parent ? titleOf(where.parent) : '',
      }),
    );
  };

  const apply = (next: Tree, id: string) => {
    setEdited(next);
    announce(next, id);
  };

  const save = async () => {
    setSaving(true);
    try {
      await api<Answer<'reorderPages'>>('POST', '/pages/reorder', { body: changes });
      notify('magnetiq.pages.tree.saved', { type: 'success' });
      await queryClient.invalidateQueries({ queryKey: ['pages'] });
      setEdited(null);
    } catch (error) {
      notifyError(notify, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box>
      <Title title={translate('magnetiq.pages.tree.title')} />
      <TreeActions />
      <Card>
        <CardContent>
          <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
            {translate(editable ? 'magnetiq.pages.tree.help' : 'magnetiq.pages.tree.help_read')}
          </Typography>
          {query.isPending && (
            <Box sx={{ display: 'flex', justifyContent: 'center', py: 4 }} role="status">
              <CircularProgress aria-label={translate('magnetiq.states.loading')} />
            </Box>
          )}
          {query.isError && (
            <Alert
              severity="error"
              action={
                <Button color="inherit" onClick={() => void query.refetch()}>
                  {translate('magnetiq.states.retry')}
                </Button>
              }
            >
              {query.error.message}
            </Alert>
          )}
          {query.data && tree.length === 0 && (
            <Typography role="status" sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }}>
              {translate('magnetiq.pages.tree.empty')}
            </Typography>
          )}
          {tree.length > 0 && (
            <Box
              component="ul"
              ref={listRef}
              aria-label={translate('magnetiq.pages.tree.title')}
              sx={{ listStyle: 'none', m: 0, p: 0 }}
              onDragLeave={(event) => {
                if (!event.currentTarget.contains(event.relatedTarget as globalThis.Node | null))
                  setHint(null);
              }}
            >
              {tree.map((node) => (
                <Node
                  key={node.id}
                  node={node}
                  tree={tree}
                  depth={0}
                  editable={editable && !saving}
                  hint={hint}
                  dragging={dragging}
                  onMove={(id, move) => {
                    apply(moved(tree, id, move), id);
                    setFocus({ id, move });
                  }}
                  onDragStart={setDragging}
                  onDragEnd={() => {
                    setDragging(null);
                    setHint(null);
                  }}
                  onHint={setHint}
                  onDrop={(targetId, position) => {
                    if (dragging) apply(dropped(tree, dragging, targetId, position), dragging);
                    setDragging(null);
                    setHint(null);
                  }}
                />
              ))}
            </Box>
          )}
          <Box role="status" aria-live="polite" sx={visuallyHidden}>
            {announcement}
          </Box>
          {editable && tree.length > 0 && (
            <Box sx={{ display: 'flex', gap: 1, mt: 2, alignItems: 'center', flexWrap: 'wrap' }}>
              <Button
                variant="contained"
                disabled={changes.length === 0 || saving}
                onClick={() => void save()}
              >
                {translate('magnetiq.pages.tree.save')}
              </Button>
              <Button
                disabled={edited === null || saving}
                onClick={() => {
                  setEdited(null);
                  setAnnouncement(translate('magnetiq.pages.tree.discarded'));
                }}
              >
                {translate('magnetiq.pages.tree.discard')}
              </Button>
              {changes.length > 0 && (
                <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                  {translate('magnetiq.pages.tree.unsaved', { smart_count: changes.length })}
                </Typography>
              )}
            </Box>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}

const visuallyHidden = {
  position: 'absolute',
  // In px: MUI reads a bare 1 as 100%.
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

function findNode(tree: Tree, id: string): TreeNodeRecord | null {
  for (const node of tree) {
    if (node.id === id) return node;
    const inner = findNode(node.children, id);
    if (inner) return inner;
  }
  return null;
}
