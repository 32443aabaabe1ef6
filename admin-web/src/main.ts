import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';

import App from './App.vue';
import { installRequestHooks } from './api/request';
import { setupAccessDirective } from './directives/access';
import { i18n } from './locales';
import { handleUnauthorized, router } from './router';
import { pinia, useAuthStore, useLocaleStore } from './stores';
import './styles/index.css';

const app = createApp(App);
app.use(pinia);
app.use(i18n);
app.use(ElementPlus);

installRequestHooks({
  getToken: () => useAuthStore(pinia).token,
  getLocale: () => useLocaleStore(pinia).locale,
  onUnauthorized: handleUnauthorized,
});

// sets <html lang> and vue-i18n from the saved choice before the first render
useLocaleStore(pinia);

setupAccessDirective(app);
app.use(router);

void router.isReady().then(() => app.mount('#app'));
