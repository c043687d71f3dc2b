/*
 * The hub's GraphiQL page. GraphiQL, React and graphql-ws come from the hub itself (GraphiQlRoutes), so the
 * page works without internet access. The token typed above the editor goes into every HTTP request as
 * "Authorization: Bearer <jwt>" and into graphql-ws's connection_init as {"Authorization": "Bearer <jwt>"},
 * where the hub's WebSocketAuthentication reads it: subscriptions work from this page.
 * The token is kept in this tab's sessionStorage only, never in the URL.
 */
(function () {
  'use strict';

  var STORAGE_KEY = 'oneuihub.graphiql.token';
  var DEFAULT_QUERY = '# OneUIHub GraphQL. A token (above) unlocks admin queries, mutations, subscriptions.\n' +
    '{\n  companies(first: 5) {\n    totalCount\n    nodes { slug name }\n  }\n}\n';

  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.content : '';
  }

  function endpoint(path, webSocket) {
    var url = new URL(path, window.location.href);
    if (webSocket) {
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    }
    return url.href;
  }

  var httpUrl = endpoint(meta('hub-graphql-path') || '/graphql', false);
  var wsPath = meta('hub-graphql-ws-path');
  var wsUrl = wsPath ? endpoint(wsPath, true) : null;

  function storedToken() {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY) || '';
    } catch (unavailable) {
      return '';
    }
  }

  function storeToken(token) {
    try {
      if (token) {
        window.sessionStorage.setItem(STORAGE_KEY, token);
      } else {
        window.sessionStorage.removeItem(STORAGE_KEY);
      }
    } catch (unavailable) {
      // storage blocked: the token then lasts until the page is reloaded
    }
  }

  /** The token's claims, only to tell the user whose token it is; the hub checks the signature, not this page. */
  function claims(token) {
    try {
      var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      part += '='.repeat((4 - part.length % 4) % 4);
      var bytes = Uint8Array.from(window.atob(part), function (c) { return c.charCodeAt(0); });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (notAJwt) {
      return null;
    }
  }

  var input = document.getElementById('hub-token');
  var status = document.getElementById('hub-token-status');

  function showStatus(token) {
    status.classList.remove('hub-expired');
    if (!token) {
      status.textContent = 'No token: anonymous';
      return;
    }
    var c = claims(token) || {};
    var text = 'Token applied' + (typeof c.sub === 'string' ? ': ' + c.sub : '');
    if (typeof c.exp === 'number') {
      var expiry = new Date(c.exp * 1000);
      var expired = expiry.getTime() <= Date.now();
      text += (expired ? ', expired ' : ', expires ') + expiry.toLocaleString();
      if (expired) {
        status.classList.add('hub-expired');
      }
    }
    status.textContent = text;
  }

  var wsClient = null;

  /** A fetcher that sends this token; the previous graphql-ws client (and its socket) is closed. */
  function fetcherFor(token) {
    if (wsClient) {
      wsClient.dispose();
      wsClient = null;
    }
    var authorization = token ? { Authorization: 'Bearer ' + token } : {};
    if (wsUrl) {
      wsClient = window.graphqlWs.createClient({
        url: wsUrl,
        // asked again at every reconnect; a new token gets a new client
        connectionParams: function () { return authorization; }
      });
    }
    var fetcher = window.GraphiQL.createFetcher({
      url: httpUrl,
      headers: authorization,
      wsClient: wsClient || undefined,
      // the hub has no @defer or @stream: plain JSON responses
      enableIncrementalDelivery: false
    });
    return function (params, options) {
      // GraphiQL parses the editor 100 ms after the last keystroke and picks HTTP or graphql-ws from that parse:
      // a subscription run sooner would go over HTTP. Parse what is actually sent instead.
      var documentAST = null;
      try {
        documentAST = window.GraphiQL.GraphQL.parse(params.query);
      } catch (invalid) {
        // the hub answers with the syntax error
      }
      return fetcher(params, Object.assign({}, options, documentAST ? { documentAST: documentAST } : {}));
    };
  }

  var root = window.ReactDOM.createRoot(document.getElementById('graphiql'));

  function apply(raw) {
    var token = raw.trim().replace(/^Bearer\s+/i, '');
    storeToken(token);
    showStatus(token);
    root.render(window.React.createElement(window.GraphiQL, {
      fetcher: fetcherFor(token),
      defaultQuery: DEFAULT_QUERY,
      defaultEditorToolsVisibility: true
    }));
  }

  document.getElementById('hub-token-apply').addEventListener('click', function () {
    apply(input.value);
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') {
      event.preventDefault();
      apply(input.value);
    }
  });
  document.getElementById('hub-token-clear').addEventListener('click', function () {
    input.value = '';
    apply('');
  });

  // GraphiQL stores the editor's query half a second after the last change (its tab state, debounced): a reload
  // sooner, say right after running a query, brought back the query from before. Store it as the page goes away.
  window.addEventListener('pagehide', function () {
    var wrapper = document.querySelector('.graphiql-query-editor .CodeMirror');
    if (!wrapper || !wrapper.CodeMirror) {
      return;
    }
    var query = wrapper.CodeMirror.getValue();
    try {
      window.localStorage.setItem('graphiql:query', query);
      var state = JSON.parse(window.localStorage.getItem('graphiql:tabState') || 'null');
      var tab = state && state.tabs && state.tabs[state.activeTabIndex];
      if (tab) {
        tab.query = query;
        window.localStorage.setItem('graphiql:tabState', JSON.stringify(state));
      }
    } catch (unavailable) {
      // storage blocked or its content not GraphiQL's: GraphiQL keeps what it stored itself
    }
  });

  input.value = storedToken();
  apply(input.value);
}());
