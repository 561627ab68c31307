// The menu, grouped (content, scheduling, people, system), showing only what the user's permissions allow.
import { ListSubheader } from '@mui/material';
import { Menu as RaMenu, useCanAccess, useTranslate } from 'react-admin';
import { areas } from '../resources/registry.ts';
import type { MenuGroup, PanelArea } from '../resources/types.ts';

const GROUPS: MenuGroup[] = ['content', 'scheduling', 'people', 'system'];

function AreaItem({ area }: { area: PanelArea }) {
  const { canAccess } = useCanAccess({ resource: area.name, action: 'list' });
  if (!canAccess) return null;
  return <RaMenu.ResourceItem name={area.name} />;
}

function Group({ group }: { group: MenuGroup }) {
  const translate = useTranslate();
  const entries = areas.filter((area) => area.group === group && (area.menu ?? area.list !== undefined));
  if (entries.length === 0) return null;
  return (
    <>
      <ListSubheader component="div" sx={{ lineHeight: '32px', mt: 1, bgcolor: 'transparent' }}>
        {translate(`magnetiq.menu.${group}`)}
      </ListSubheader>
      {entries.map((area) => (
        <AreaItem key={area.name} area={area} />
      ))}
    </>
  );
}

export function Menu() {
  return (
    <RaMenu>
      <RaMenu.DashboardItem />
      {GROUPS.map((group) => (
        <Group key={group} group={group} />
      ))}
    </RaMenu>
  );
}
