// The console's shell: sign-in, the navigation, and one screen at a time. A screen is a module with
// {id, title, admin, render(root, context)}; render may return a function that stops what it started.
// Adding a screen (chat, analytics) is one module and one line in screens/index.js.
import {createApi} from './api.js';
import {session} from './session.js';
import {screens} from './screens/index.js';
import {signIn} from './screens/signin.js';
import {clearProblem, showProblem} from './problems.js';
import {h} from './dom.js';

const root = document.getElementById('screen');
let stopScreen = () => {};

const api = createApi(() => session.token(), () => {
  // An expired or revoked token: back to sign-in, with the API's 401 shown by the caller.
  session.signOut();
  renderChrome();
  route();
});

function visibleScreens() {
  return screens.filter((screen) => !screen.admin || session.isAdmin());
}

function renderChrome() {
  const claims = session.claims();
  const nav = document.getElementById('nav');
  nav.replaceChildren(...(claims ? visibleScreens().map((screen) =>
    h('a', {href: `#/${screen.id}`, 'data-screen': screen.id}, screen.title)) : []));
  document.getElementById('who').textContent = claims
    ? `tenant ${claims.tenant ?? '?'}${session.isAdmin() ? ' · admin' : ''} · ${claims.sub ?? '?'}` : '';
  document.getElementById('sign-out').hidden = !claims;
}

function route() {
  stopScreen();
  stopScreen = () => {};
  const controller = new AbortController();
  const context = {api, session, signal: controller.signal, navigate, showProblem};
  root.replaceChildren();
  if (!session.claims()) {
    markCurrent(null);
    signIn.render(root, {...context, signedIn: () => { renderChrome(); navigate(visibleScreens()[0].id); }});
    return;
  }
  const wanted = window.location.hash.replace(/^#\//, '');
  const screen = visibleScreens().find((s) => s.id === wanted) ?? visibleScreens()[0];
  markCurrent(screen.id);
  document.title = `${screen.title} · Quarry console`;
  const stop = screen.render(root, context);
  stopScreen = () => {
    controller.abort();
    if (typeof stop === 'function') stop();
  };
}

function markCurrent(id) {
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.screen === id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function navigate(id) {
  if (window.location.hash === `#/${id}`) route();
  else window.location.hash = `#/${id}`;
}

window.addEventListener('hashchange', () => {
  clearProblem();
  route();
});
document.querySelector('.problem-dismiss').addEventListener('click', clearProblem);
document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  clearProblem();
  renderChrome();
  window.location.hash = '';
  route();
});

renderChrome();
route();
