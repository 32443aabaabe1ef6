import { createApp } from 'vue';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';

import { i18n } from '@/locales';
import StandinApp from './StandinApp.vue';
import '../sidebar.css';
import './standin.css';

const app = createApp(StandinApp);
app.use(i18n);
app.use(ElementPlus);
document.documentElement.lang = i18n.global.locale.value;
app.mount('#app');
