// Sign in by pasting a bearer token. The console checks it with one API call before it keeps it.
import {h} from '../dom.js';
import {Problem} from '../api.js';
import {claimsOf} from '../session.js';
import {clearProblem, reporting, showProblem} from '../problems.js';

export const signIn = {
  id: 'sign-in',
  title: 'Sign in',
  render(root, {api, session, signedIn}) {
    const token = h('textarea', {id: 'token', name: 'token', required: true, spellcheck: 'false',
      autocomplete: 'off', placeholder: 'eyJhbGciOiJIUzI1NiIs...'});
    const form = h('form', {class: 'card signin'},
      h('h1', {}, 'Sign in to Quarry'),
      h('label', {for: 'token'}, 'Bearer token (JWT)', token),
      h('p', {class: 'note'}, 'Paste a token: ', h('code', {}, 'bin/quarry token --tenant demo'),
        ' prints one, with ', h('code', {}, '--admin'), ' for the dead letters. It is kept in this tab only.'),
      h('div', {class: 'actions'}, h('button', {type: 'submit'}, 'Sign in')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearProblem();
      try {
        claimsOf(token.value);
      } catch (error) {
        showProblem(new Problem({title: 'Not a token', detail: `This is not a JWT: ${error.message}.`}));
        return;
      }
      session.signIn(token.value);
      // A cheap authenticated read: the API answers 401 with its problem for a bad, expired or foreign token.
      const checked = await reporting(() => api.get('/api/v1/jobs', {query: {limit: 1}}));
      if (checked === undefined) {
        session.signOut();
        return;
      }
      signedIn();
    });
    root.append(form);
  },
};
