import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { LoginPage } from './auth/LoginPage.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from './auth/PasswordPages.tsx';
import { Layout } from './layout/Layout.tsx';
import { authProvider } from './providers/authProvider.ts';
import { dataProvider } from './providers/dataProvider.ts';
import { i18nProvider } from './providers/i18nProvider.ts';
import { areas, customRoutes, dashboard } from './resources/registry.ts';
import { theme } from './theme.ts';

export function App() {
  return (
    <Admin
      basename="/admin"
      title="Magnetiq"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={LoginPage}
      layout={Layout}
      dashboard={dashboard}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      {areas.map((area) => (
        <Resource
          key={area.name}
          name={area.name}
          icon={area.icon}
          list={area.list}
          edit={area.edit}
          create={area.create}
          show={area.show}
        >
          {area.routes}
        </Resource>
      ))}
      <CustomRoutes>{customRoutes}</CustomRoutes>
      <CustomRoutes noLayout>
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
      </CustomRoutes>
    </Admin>
  );
}
