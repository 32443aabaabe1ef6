import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';

import { installRequestHooks } from '@/api/request';
import { i18n } from '@/locales';
import MobileApp from './MobileApp.vue';
import { mobileToken } from './mobile-session';
import './mobile.css';

const app = createApp(MobileApp);
app.use(i18n);
app.use(ElementPlus);

installRequestHooks({
  getToken: () => mobileToken.get(),
  getLocale: () => i18n.global.locale.value,
  // the session ended: sign in through WeCom again
  onUnauthorized: () => {
    mobileToken.clear();
    window.location.reload();
  },
});
document.documentElement.lang = i18n.global.locale.value;

app.mount('#app');
