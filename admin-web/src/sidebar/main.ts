import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';

import { installRequestHooks } from '@/api/request';
import { i18n } from '@/locales';
import SidebarApp from './SidebarApp.vue';
import { sidebarToken } from './sidebar-session';
import './sidebar.css';

const app = createApp(SidebarApp);
app.use(i18n);
app.use(ElementPlus);

installRequestHooks({
  getToken: () => sidebarToken.get(),
  getLocale: () => i18n.global.locale.value,
  // the session ended (expired, signed out elsewhere): sign in through WeCom again
  onUnauthorized: () => {
    sidebarToken.clear();
    window.location.reload();
  },
});
document.documentElement.lang = i18n.global.locale.value;

app.mount('#app');
