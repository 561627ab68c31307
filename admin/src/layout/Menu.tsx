// The menu, grouped (content, scheduling, people, system), showing only what the user's permissions allow; a
// group with nothing the user may open is left out, heading and all.
import { ListSubheader } from '@mui/material';
import { Menu as RaMenu, useCanAccessResources, useTranslate } from 'react-admin';
import { areas } from '../resources/registry.ts';
import type { MenuGroup } from '../resources/types.ts';

const GROUPS: MenuGroup[] = ['content', 'scheduling', 'people', 'system'];

function Group({ group }: { group: MenuGroup }) {
  const translate = useTranslate();
  const entries = areas.filter((area) => area.group === group && (area.menu ?? area.list !== undefined));
  const { canAccess } = useCanAccessResources({
    action: 'list',
    resources: entries.map((area) => area.name),
  });
  const allowed = entries.filter((area) => canAccess?.[area.name] === true);
  if (allowed.length === 0) return null;
  return (
    <>
      <ListSubheader component="div" sx={{ lineHeight: '32px', mt: 1, bgcolor: 'transparent' }}>
        {translate(`magnetiq.menu.${group}`)}
      </ListSubheader>
      {allowed.map((area) => (
        <RaMenu.ResourceItem key={area.name} name={area.name} />
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
