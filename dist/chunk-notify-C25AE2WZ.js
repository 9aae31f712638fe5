#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  PIPELINE_ORDER,
  buildDeliveryView,
  gateMermaidCharts,
  gateMetricsTable,
  readTrainChecks,
  renderSlackMessage,
  truncateMarkdown,
  writeHtmlReport
} from "./chunk-chunk-LDQU4IS5.js";
import {
  trainChecksTable
} from "./chunk-chunk-OVV3SQR6.js";
import {
  detailsOf
} from "./chunk-chunk-XNTI4R7L.js";
import "./chunk-chunk-MXHAXZZH.js";
import {
  createActionOctokit,
  parseRepository
} from "./chunk-chunk-OYSNFU43.js";
import "./chunk-chunk-7U3TACCC.js";
import {
  readSlackWebhook
} from "./chunk-chunk-J7G6J27Q.js";
import "./chunk-chunk-P2RBSKVU.js";
import "./chunk-chunk-SSOYEDRJ.js";
import {
  STATUS_EMOJI,
  markdownTable
} from "./chunk-chunk-Q3LNTHG7.js";
import {
  formatDuration
} from "./chunk-chunk-PF54JKQR.js";
import {
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import {
  __commonJS,
  __require,
  __toESM
} from "./chunk-chunk-YW753B3X.js";

// node_modules/@slack/webhook/dist/errors.js
var require_errors = __commonJS({
  "node_modules/@slack/webhook/dist/errors.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.WebhookTriggerHTTPError = exports.WebhookTriggerRequestError = exports.IncomingWebhookHTTPError = exports.IncomingWebhookRequestError = exports.SlackWebhookError = exports.ErrorCode = void 0;
    var ErrorCode;
    (function(ErrorCode2) {
      ErrorCode2["RequestError"] = "slack_webhook_request_error";
      ErrorCode2["HTTPError"] = "slack_webhook_http_error";
    })(ErrorCode || (exports.ErrorCode = ErrorCode = {}));
    var SlackWebhookError = class extends Error {
      constructor(message, options) {
        super(message, options);
        this.name = this.constructor.name;
        Object.setPrototypeOf(this, new.target.prototype);
      }
    };
    exports.SlackWebhookError = SlackWebhookError;
    var IncomingWebhookRequestError2 = class extends SlackWebhookError {
      code = ErrorCode.RequestError;
      original;
      constructor(original) {
        super(`A request error occurred: ${original.message}`, { cause: original });
        this.original = original;
      }
    };
    exports.IncomingWebhookRequestError = IncomingWebhookRequestError2;
    var IncomingWebhookHTTPError2 = class extends SlackWebhookError {
      code = ErrorCode.HTTPError;
      statusCode;
      statusMessage;
      body;
      constructor(statusCode, statusMessage, body) {
        super(`An HTTP protocol error occurred: statusCode = ${statusCode}`);
        this.statusCode = statusCode;
        this.statusMessage = statusMessage;
        this.body = body;
      }
    };
    exports.IncomingWebhookHTTPError = IncomingWebhookHTTPError2;
    var WebhookTriggerRequestError = class extends SlackWebhookError {
      code = ErrorCode.RequestError;
      original;
      constructor(original) {
        super(`A request error occurred: ${original.message}`, { cause: original });
        this.original = original;
      }
    };
    exports.WebhookTriggerRequestError = WebhookTriggerRequestError;
    var WebhookTriggerHTTPError = class extends SlackWebhookError {
      code = ErrorCode.HTTPError;
      statusCode;
      statusMessage;
      body;
      constructor(statusCode, statusMessage, body) {
        super(`An HTTP protocol error occurred: statusCode = ${statusCode}`);
        this.statusCode = statusCode;
        this.statusMessage = statusMessage;
        this.body = body;
      }
    };
    exports.WebhookTriggerHTTPError = WebhookTriggerHTTPError;
  }
});

// node_modules/retry/lib/retry_operation.js
var require_retry_operation = __commonJS({
  "node_modules/retry/lib/retry_operation.js"(exports, module) {
    function RetryOperation(timeouts, options) {
      if (typeof options === "boolean") {
        options = { forever: options };
      }
      this._originalTimeouts = JSON.parse(JSON.stringify(timeouts));
      this._timeouts = timeouts;
      this._options = options || {};
      this._maxRetryTime = options && options.maxRetryTime || Infinity;
      this._fn = null;
      this._errors = [];
      this._attempts = 1;
      this._operationTimeout = null;
      this._operationTimeoutCb = null;
      this._timeout = null;
      this._operationStart = null;
      this._timer = null;
      if (this._options.forever) {
        this._cachedTimeouts = this._timeouts.slice(0);
      }
    }
    module.exports = RetryOperation;
    RetryOperation.prototype.reset = function() {
      this._attempts = 1;
      this._timeouts = this._originalTimeouts.slice(0);
    };
    RetryOperation.prototype.stop = function() {
      if (this._timeout) {
        clearTimeout(this._timeout);
      }
      if (this._timer) {
        clearTimeout(this._timer);
      }
      this._timeouts = [];
      this._cachedTimeouts = null;
    };
    RetryOperation.prototype.retry = function(err) {
      if (this._timeout) {
        clearTimeout(this._timeout);
      }
      if (!err) {
        return false;
      }
      var currentTime = (/* @__PURE__ */ new Date()).getTime();
      if (err && currentTime - this._operationStart >= this._maxRetryTime) {
        this._errors.push(err);
        this._errors.unshift(new Error("RetryOperation timeout occurred"));
        return false;
      }
      this._errors.push(err);
      var timeout = this._timeouts.shift();
      if (timeout === void 0) {
        if (this._cachedTimeouts) {
          this._errors.splice(0, this._errors.length - 1);
          timeout = this._cachedTimeouts.slice(-1);
        } else {
          return false;
        }
      }
      var self = this;
      this._timer = setTimeout(function() {
        self._attempts++;
        if (self._operationTimeoutCb) {
          self._timeout = setTimeout(function() {
            self._operationTimeoutCb(self._attempts);
          }, self._operationTimeout);
          if (self._options.unref) {
            self._timeout.unref();
          }
        }
        self._fn(self._attempts);
      }, timeout);
      if (this._options.unref) {
        this._timer.unref();
      }
      return true;
    };
    RetryOperation.prototype.attempt = function(fn, timeoutOps) {
      this._fn = fn;
      if (timeoutOps) {
        if (timeoutOps.timeout) {
          this._operationTimeout = timeoutOps.timeout;
        }
        if (timeoutOps.cb) {
          this._operationTimeoutCb = timeoutOps.cb;
        }
      }
      var self = this;
      if (this._operationTimeoutCb) {
        this._timeout = setTimeout(function() {
          self._operationTimeoutCb();
        }, self._operationTimeout);
      }
      this._operationStart = (/* @__PURE__ */ new Date()).getTime();
      this._fn(this._attempts);
    };
    RetryOperation.prototype.try = function(fn) {
      console.log("Using RetryOperation.try() is deprecated");
      this.attempt(fn);
    };
    RetryOperation.prototype.start = function(fn) {
      console.log("Using RetryOperation.start() is deprecated");
      this.attempt(fn);
    };
    RetryOperation.prototype.start = RetryOperation.prototype.try;
    RetryOperation.prototype.errors = function() {
      return this._errors;
    };
    RetryOperation.prototype.attempts = function() {
      return this._attempts;
    };
    RetryOperation.prototype.mainError = function() {
      if (this._errors.length === 0) {
        return null;
      }
      var counts = {};
      var mainError = null;
      var mainErrorCount = 0;
      for (var i = 0; i < this._errors.length; i++) {
        var error = this._errors[i];
        var message = error.message;
        var count = (counts[message] || 0) + 1;
        counts[message] = count;
        if (count >= mainErrorCount) {
          mainError = error;
          mainErrorCount = count;
        }
      }
      return mainError;
    };
  }
});

// node_modules/retry/lib/retry.js
var require_retry = __commonJS({
  "node_modules/retry/lib/retry.js"(exports) {
    var RetryOperation = require_retry_operation();
    exports.operation = function(options) {
      var timeouts = exports.timeouts(options);
      return new RetryOperation(timeouts, {
        forever: options && (options.forever || options.retries === Infinity),
        unref: options && options.unref,
        maxRetryTime: options && options.maxRetryTime
      });
    };
    exports.timeouts = function(options) {
      if (options instanceof Array) {
        return [].concat(options);
      }
      var opts = {
        retries: 10,
        factor: 2,
        minTimeout: 1 * 1e3,
        maxTimeout: Infinity,
        randomize: false
      };
      for (var key in options) {
        opts[key] = options[key];
      }
      if (opts.minTimeout > opts.maxTimeout) {
        throw new Error("minTimeout is greater than maxTimeout");
      }
      var timeouts = [];
      for (var i = 0; i < opts.retries; i++) {
        timeouts.push(this.createTimeout(i, opts));
      }
      if (options && options.forever && !timeouts.length) {
        timeouts.push(this.createTimeout(i, opts));
      }
      timeouts.sort(function(a, b) {
        return a - b;
      });
      return timeouts;
    };
    exports.createTimeout = function(attempt2, opts) {
      var random = opts.randomize ? Math.random() + 1 : 1;
      var timeout = Math.round(random * Math.max(opts.minTimeout, 1) * Math.pow(opts.factor, attempt2));
      timeout = Math.min(timeout, opts.maxTimeout);
      return timeout;
    };
    exports.wrap = function(obj, options, methods) {
      if (options instanceof Array) {
        methods = options;
        options = null;
      }
      if (!methods) {
        methods = [];
        for (var key in obj) {
          if (typeof obj[key] === "function") {
            methods.push(key);
          }
        }
      }
      for (var i = 0; i < methods.length; i++) {
        var method = methods[i];
        var original = obj[method];
        obj[method] = function retryWrapper(original2) {
          var op = exports.operation(options);
          var args = Array.prototype.slice.call(arguments, 1);
          var callback = args.pop();
          args.push(function(err) {
            if (op.retry(err)) {
              return;
            }
            if (err) {
              arguments[0] = op.mainError();
            }
            callback.apply(this, arguments);
          });
          op.attempt(function() {
            original2.apply(obj, args);
          });
        }.bind(obj, original);
        obj[method].options = options;
      }
    };
  }
});

// node_modules/retry/index.js
var require_retry2 = __commonJS({
  "node_modules/retry/index.js"(exports, module) {
    module.exports = require_retry();
  }
});

// node_modules/p-retry/index.js
var require_p_retry = __commonJS({
  "node_modules/p-retry/index.js"(exports, module) {
    "use strict";
    var retry = require_retry2();
    var networkErrorMsgs = [
      "Failed to fetch",
      // Chrome
      "NetworkError when attempting to fetch resource.",
      // Firefox
      "The Internet connection appears to be offline.",
      // Safari
      "Network request failed"
      // `cross-fetch`
    ];
    var AbortError = class extends Error {
      constructor(message) {
        super();
        if (message instanceof Error) {
          this.originalError = message;
          ({ message } = message);
        } else {
          this.originalError = new Error(message);
          this.originalError.stack = this.stack;
        }
        this.name = "AbortError";
        this.message = message;
      }
    };
    var decorateErrorWithCounts = (error, attemptNumber, options) => {
      const retriesLeft = options.retries - (attemptNumber - 1);
      error.attemptNumber = attemptNumber;
      error.retriesLeft = retriesLeft;
      return error;
    };
    var isNetworkError = (errorMessage2) => networkErrorMsgs.includes(errorMessage2);
    var pRetry = (input, options) => new Promise((resolve, reject) => {
      options = {
        onFailedAttempt: () => {
        },
        retries: 10,
        ...options
      };
      const operation = retry.operation(options);
      operation.attempt(async (attemptNumber) => {
        try {
          resolve(await input(attemptNumber));
        } catch (error) {
          if (!(error instanceof Error)) {
            reject(new TypeError(`Non-error was thrown: "${error}". You should only throw errors.`));
            return;
          }
          if (error instanceof AbortError) {
            operation.stop();
            reject(error.originalError);
          } else if (error instanceof TypeError && !isNetworkError(error.message)) {
            operation.stop();
            reject(error);
          } else {
            decorateErrorWithCounts(error, attemptNumber, options);
            try {
              await options.onFailedAttempt(error);
            } catch (error2) {
              reject(error2);
              return;
            }
            if (!operation.retry(error)) {
              reject(operation.mainError());
            }
          }
        }
      });
    });
    module.exports = pRetry;
    module.exports.default = pRetry;
    module.exports.AbortError = AbortError;
  }
});

// node_modules/@slack/webhook/package.json
var require_package = __commonJS({
  "node_modules/@slack/webhook/package.json"(exports, module) {
    module.exports = {
      name: "@slack/webhook",
      version: "8.0.2",
      description: "Official library for using the Slack Platform's Incoming Webhooks",
      author: "Slack Technologies, LLC",
      license: "MIT",
      keywords: [
        "slack",
        "request",
        "client",
        "http",
        "api",
        "proxy"
      ],
      main: "dist/index.js",
      types: "./dist/index.d.ts",
      files: [
        "dist/**/*"
      ],
      engines: {
        node: ">= 20",
        npm: ">=9.6.4"
      },
      repository: {
        type: "git",
        url: "git+https://github.com/slackapi/node-slack-sdk.git"
      },
      homepage: "https://docs.slack.dev/tools/node-slack-sdk/webhook/",
      publishConfig: {
        access: "public"
      },
      bugs: {
        url: "https://github.com/slackapi/node-slack-sdk/issues"
      },
      scripts: {
        build: "npm run build:clean && tsc",
        "build:clean": "shx rm -rf ./dist",
        docs: "npx typedoc --plugin typedoc-plugin-markdown",
        prepack: "npm run build",
        test: "npm run build && node --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=test-results.xml --import tsx --test src/IncomingWebhook.test.ts src/WebhookTrigger.test.ts src/instrument.test.ts src/retry-policies.test.ts",
        "test:coverage": "npm run build && node --experimental-test-coverage --test-reporter=spec --test-reporter-destination=stdout --test-reporter=lcov --test-reporter-destination=lcov.info --test-reporter=junit --test-reporter-destination=test-results.xml --import tsx --test src/IncomingWebhook.test.ts src/WebhookTrigger.test.ts src/instrument.test.ts src/retry-policies.test.ts"
      },
      dependencies: {
        "@slack/types": "^3.1.0",
        "@types/node": ">=20",
        "@types/retry": "0.12.5",
        "p-retry": "^4.6.2",
        retry: "^0.13.1"
      },
      devDependencies: {
        nock: "^14.0.17"
      }
    };
  }
});

// node_modules/@slack/webhook/dist/instrument.js
var require_instrument = __commonJS({
  "node_modules/@slack/webhook/dist/instrument.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.addAppMetadata = addAppMetadata;
    exports.getUserAgent = getUserAgent;
    var os = __importStar(__require("node:os"));
    var packageJson = require_package();
    function replaceSlashes(s) {
      return s.replace("/", ":");
    }
    var baseUserAgent = `${replaceSlashes(packageJson.name)}/${packageJson.version} node/${process.version.replace("v", "")} ${os.platform()}/${os.release()}`;
    var appMetadata = {};
    function addAppMetadata({ name, version }) {
      appMetadata[replaceSlashes(name)] = version;
    }
    function getUserAgent() {
      const appIdentifier = Object.entries(appMetadata).map(([name, version]) => `${name}/${version}`).join(" ");
      return (appIdentifier.length > 0 ? `${appIdentifier} ` : "") + baseUserAgent;
    }
  }
});

// node_modules/@slack/webhook/dist/IncomingWebhook.js
var require_IncomingWebhook = __commonJS({
  "node_modules/@slack/webhook/dist/IncomingWebhook.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.IncomingWebhook = void 0;
    var p_retry_1 = __importStar(require_p_retry());
    var errors_1 = require_errors();
    var instrument_1 = require_instrument();
    var IncomingWebhook2 = class {
      /**
       * The webhook URL
       */
      url;
      /**
       * Default arguments for posting messages with this webhook
       */
      defaults;
      /**
       * The fetch function used for HTTP requests
       */
      fetchFn;
      /**
       * Request timeout in milliseconds
       */
      timeout;
      /**
       * Default headers sent with every request
       */
      headers;
      /**
       * Retry policy applied to each send. Defaults to no retries.
       */
      retryConfig;
      constructor(url, defaults = {
        timeout: 0
      }) {
        if (url === void 0) {
          throw new Error("Incoming webhook URL is required");
        }
        this.url = url;
        this.fetchFn = defaults.fetch ?? globalThis.fetch;
        this.timeout = defaults.timeout ?? 0;
        this.retryConfig = defaults.retryConfig ?? { retries: 0 };
        this.headers = {
          "User-Agent": (0, instrument_1.getUserAgent)()
        };
        const { fetch: _fetch, timeout: _timeout, retryConfig: _retryConfig, ...messageDefaults } = defaults;
        this.defaults = messageDefaults;
      }
      /**
       * Send a notification to a conversation
       * @param message - the message (a simple string, or an object describing the message)
       */
      async send(message) {
        let payload = { ...this.defaults };
        if (typeof message === "string") {
          payload.text = message;
        } else {
          payload = Object.assign(payload, message);
        }
        return (0, p_retry_1.default)(async () => {
          const signal = this.timeout > 0 ? AbortSignal.timeout(this.timeout) : void 0;
          try {
            const response = await this.fetchFn(this.url, {
              method: "POST",
              headers: {
                ...this.headers,
                "Content-Type": "application/json"
              },
              body: JSON.stringify(payload),
              redirect: "error",
              signal
            });
            if (!response.ok) {
              const body = await response.text();
              const httpError = new errors_1.IncomingWebhookHTTPError(response.status, response.statusText, body);
              throw response.status >= 500 ? httpError : new p_retry_1.AbortError(httpError);
            }
            return await this.buildResult(response);
          } catch (error) {
            if (error instanceof p_retry_1.AbortError || error instanceof errors_1.SlackWebhookError) {
              throw error;
            }
            throw new errors_1.IncomingWebhookRequestError(error instanceof Error ? error : new Error(String(error)));
          }
        }, this.retryConfig);
      }
      /**
       * Processes an HTTP response into an IncomingWebhookResult.
       */
      async buildResult(response) {
        return {
          text: await response.text()
        };
      }
    };
    exports.IncomingWebhook = IncomingWebhook2;
  }
});

// node_modules/@slack/webhook/dist/retry-policies.js
var require_retry_policies = __commonJS({
  "node_modules/@slack/webhook/dist/retry-policies.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.rapidRetryPolicy = exports.fiveRetriesInFiveMinutes = exports.tenRetriesInAboutThirtyMinutes = void 0;
    exports.tenRetriesInAboutThirtyMinutes = {
      retries: 10,
      factor: 1.96821,
      randomize: true
    };
    exports.fiveRetriesInFiveMinutes = {
      retries: 5,
      factor: 3.86
    };
    exports.rapidRetryPolicy = {
      minTimeout: 0,
      maxTimeout: 1
    };
    var policies = {
      tenRetriesInAboutThirtyMinutes: exports.tenRetriesInAboutThirtyMinutes,
      fiveRetriesInFiveMinutes: exports.fiveRetriesInFiveMinutes,
      rapidRetryPolicy: exports.rapidRetryPolicy
    };
    exports.default = policies;
  }
});

// node_modules/@slack/webhook/dist/WebhookTrigger.js
var require_WebhookTrigger = __commonJS({
  "node_modules/@slack/webhook/dist/WebhookTrigger.js"(exports) {
    "use strict";
    var __createBinding = exports && exports.__createBinding || (Object.create ? (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      var desc = Object.getOwnPropertyDescriptor(m, k);
      if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
        desc = { enumerable: true, get: function() {
          return m[k];
        } };
      }
      Object.defineProperty(o, k2, desc);
    }) : (function(o, m, k, k2) {
      if (k2 === void 0) k2 = k;
      o[k2] = m[k];
    }));
    var __setModuleDefault = exports && exports.__setModuleDefault || (Object.create ? (function(o, v) {
      Object.defineProperty(o, "default", { enumerable: true, value: v });
    }) : function(o, v) {
      o["default"] = v;
    });
    var __importStar = exports && exports.__importStar || /* @__PURE__ */ (function() {
      var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function(o2) {
          var ar = [];
          for (var k in o2) if (Object.prototype.hasOwnProperty.call(o2, k)) ar[ar.length] = k;
          return ar;
        };
        return ownKeys(o);
      };
      return function(mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) {
          for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        }
        __setModuleDefault(result, mod);
        return result;
      };
    })();
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.WebhookTrigger = void 0;
    var p_retry_1 = __importStar(require_p_retry());
    var errors_1 = require_errors();
    var instrument_1 = require_instrument();
    var WebhookTrigger = class {
      /**
       * The webhook trigger URL
       */
      url;
      /**
       * The fetch function used for HTTP requests
       */
      fetchFn;
      /**
       * Request timeout in milliseconds
       */
      timeout;
      /**
       * Default headers sent with every request
       */
      headers;
      /**
       * Retry policy applied to each send. Defaults to no retries.
       */
      retryConfig;
      constructor(url, defaults = {
        timeout: 0
      }) {
        if (!url) {
          throw new Error("Webhook trigger URL is required");
        }
        this.url = url;
        this.fetchFn = defaults.fetch ?? globalThis.fetch;
        this.timeout = defaults.timeout ?? 0;
        this.retryConfig = defaults.retryConfig ?? { retries: 0 };
        this.headers = {
          "User-Agent": (0, instrument_1.getUserAgent)()
        };
      }
      /**
       * Send a payload to the webhook trigger
       * @param payload - arbitrary key-value data to send to the trigger
       */
      async send(payload = {}) {
        return (0, p_retry_1.default)(async () => {
          const signal = this.timeout > 0 ? AbortSignal.timeout(this.timeout) : void 0;
          try {
            const response = await this.fetchFn(this.url, {
              method: "POST",
              headers: {
                ...this.headers,
                "Content-Type": "application/json"
              },
              body: JSON.stringify(payload),
              redirect: "error",
              signal
            });
            if (!response.ok) {
              const body = await response.text();
              const httpError = new errors_1.WebhookTriggerHTTPError(response.status, response.statusText, body);
              throw response.status >= 500 ? httpError : new p_retry_1.AbortError(httpError);
            }
            return await this.buildResult(response);
          } catch (error) {
            if (error instanceof p_retry_1.AbortError || error instanceof errors_1.SlackWebhookError) {
              throw error;
            }
            throw new errors_1.WebhookTriggerRequestError(error instanceof Error ? error : new Error(String(error)));
          }
        }, this.retryConfig);
      }
      async buildResult(response) {
        const text = await response.text();
        try {
          if (!text) {
            return { ok: true };
          }
          return JSON.parse(text);
        } catch {
          return { ok: true };
        }
      }
    };
    exports.WebhookTrigger = WebhookTrigger;
  }
});

// node_modules/@slack/webhook/dist/index.js
var require_dist = __commonJS({
  "node_modules/@slack/webhook/dist/index.js"(exports) {
    "use strict";
    var __importDefault = exports && exports.__importDefault || function(mod) {
      return mod && mod.__esModule ? mod : { "default": mod };
    };
    Object.defineProperty(exports, "__esModule", { value: true });
    exports.WebhookTrigger = exports.retryPolicies = exports.addAppMetadata = exports.IncomingWebhook = exports.WebhookTriggerRequestError = exports.WebhookTriggerHTTPError = exports.SlackWebhookError = exports.IncomingWebhookRequestError = exports.IncomingWebhookHTTPError = exports.ErrorCode = void 0;
    var errors_1 = require_errors();
    Object.defineProperty(exports, "ErrorCode", { enumerable: true, get: function() {
      return errors_1.ErrorCode;
    } });
    Object.defineProperty(exports, "IncomingWebhookHTTPError", { enumerable: true, get: function() {
      return errors_1.IncomingWebhookHTTPError;
    } });
    Object.defineProperty(exports, "IncomingWebhookRequestError", { enumerable: true, get: function() {
      return errors_1.IncomingWebhookRequestError;
    } });
    Object.defineProperty(exports, "SlackWebhookError", { enumerable: true, get: function() {
      return errors_1.SlackWebhookError;
    } });
    Object.defineProperty(exports, "WebhookTriggerHTTPError", { enumerable: true, get: function() {
      return errors_1.WebhookTriggerHTTPError;
    } });
    Object.defineProperty(exports, "WebhookTriggerRequestError", { enumerable: true, get: function() {
      return errors_1.WebhookTriggerRequestError;
    } });
    var IncomingWebhook_1 = require_IncomingWebhook();
    Object.defineProperty(exports, "IncomingWebhook", { enumerable: true, get: function() {
      return IncomingWebhook_1.IncomingWebhook;
    } });
    var instrument_1 = require_instrument();
    Object.defineProperty(exports, "addAppMetadata", { enumerable: true, get: function() {
      return instrument_1.addAppMetadata;
    } });
    var retry_policies_1 = require_retry_policies();
    Object.defineProperty(exports, "retryPolicies", { enumerable: true, get: function() {
      return __importDefault(retry_policies_1).default;
    } });
    var WebhookTrigger_1 = require_WebhookTrigger();
    Object.defineProperty(exports, "WebhookTrigger", { enumerable: true, get: function() {
      return WebhookTrigger_1.WebhookTrigger;
    } });
  }
});

// src/github/pr-comment.ts
var PAGE = 100;
async function findMarkedComment(options) {
  const { issues, owner, repo, issueNumber, marker } = options;
  for (let page = 1; ; page++) {
    const { data } = await issues.listComments({
      owner,
      repo,
      issue_number: issueNumber,
      per_page: PAGE,
      page
    });
    const found = data.find((c) => c.body?.includes(marker));
    if (found) return found.id;
    if (data.length < PAGE) return void 0;
  }
}
async function upsertStickyComment(options) {
  const { issues, owner, repo, issueNumber, marker, body } = options;
  if (!body.includes(marker))
    throw new Error(
      "the sticky comment body must contain its marker, or the next run could not find it"
    );
  const id = await findMarkedComment(options);
  if (id !== void 0) {
    const { data: data2 } = await issues.updateComment({ owner, repo, comment_id: id, body });
    return { action: "updated", id: data2.id, url: data2.html_url };
  }
  const { data } = await issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { action: "created", id: data.id, url: data.html_url };
}
async function pullRequestOfCommit(options) {
  const { repos, owner, repo, sha } = options;
  const { data } = await repos.listPullRequestsAssociatedWithCommit({
    owner,
    repo,
    commit_sha: sha,
    per_page: 10
  });
  const pr = data.find((p) => p.merged_at) ?? data[0];
  return pr ? { number: pr.number, url: pr.html_url } : void 0;
}

// src/notify/slack-client.ts
var import_webhook = __toESM(require_dist(), 1);
var SlackPostError = class extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
    this.name = "SlackPostError";
  }
  status;
};
function createSlackClient(options) {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 3e4;
  const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const innerFetch = options.fetch ?? globalThis.fetch;
  let retryAfter = null;
  const fetchFn = async (url, init) => {
    const res = await innerFetch(url, init);
    retryAfter = res.headers.get("retry-after");
    return res;
  };
  const webhook = new import_webhook.IncomingWebhook(options.url, {
    fetch: fetchFn,
    timeout: options.timeoutMs ?? 1e4
  });
  return {
    async post(message) {
      for (let attempt2 = 0; ; attempt2++) {
        retryAfter = null;
        try {
          await webhook.send({ text: message.text, blocks: message.blocks });
          return;
        } catch (error) {
          const verdict = classify(error);
          if (!verdict.retry || attempt2 >= retries) {
            throw new SlackPostError(`Slack post failed: ${verdict.reason}`, verdict.status);
          }
          const backoff = Math.min(max, base * 2 ** attempt2 * (0.5 + random()));
          const wait = verdict.status === 429 ? retryAfterMs(retryAfter) ?? backoff : backoff;
          await sleep(Math.min(max, wait));
        }
      }
    }
  };
}
function classify(error) {
  if (error instanceof import_webhook.IncomingWebhookHTTPError) {
    const status = error.statusCode;
    const retry = status >= 500 || status === 429;
    return {
      retry,
      status,
      reason: `HTTP ${status}${error.body ? ` (${error.body.slice(0, 100)})` : ""}`
    };
  }
  if (error instanceof import_webhook.IncomingWebhookRequestError) {
    return { retry: true, reason: `could not reach Slack: ${networkCause(error.original)}` };
  }
  return { retry: false, reason: error instanceof Error ? error.name : "unknown error" };
}
function networkCause(error) {
  const cause = error.cause;
  const parts = [];
  if (error.name === "TimeoutError" || error.name === "AbortError") parts.push("timed out");
  if (cause instanceof Error) {
    const c = cause;
    parts.push(c.code && !c.message.includes(c.code) ? `${c.code}: ${c.message}` : c.message);
  } else if (error.message && error.message !== "fetch failed") parts.push(error.message);
  return parts.join(": ") || `${error.name} (no cause given)`;
}
function retryAfterMs(value, now = Date.now()) {
  if (!value) return void 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1e3;
  const at = Date.parse(value);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - now);
}

// src/report/pr-comment.ts
var PR_COMMENT_MARKER = "<!-- model-delivery:pr-report -->";
var PR_COMMENT_LIMIT_BYTES = 6e4;
function trainPart(view) {
  const train = view.train;
  if (!train) return "_The smoke training did not run in this job._";
  const checks = readTrainChecks(train);
  const head = `### ${STATUS_EMOJI[train.status] ?? ""} Smoke training \u2014 ${train.status} (\`${train.reason}\`)`;
  if (!checks.length) return `${head}

${train.message ?? ""}`;
  return `${head}

${trainChecksTable(checks, detailsOf(train)?.baselineNote)}`;
}
function gatePart(view) {
  const gate = view.gate;
  if (!gate) return "";
  const report = view.stages.find((s) => s.stage === "gate");
  const head = `### ${STATUS_EMOJI[report?.status ?? ""] ?? ""} Gate \u2014 ${gate.verdict ?? report?.status ?? ""} (\`${report?.reason ?? ""}\`)`;
  const table = gateMetricsTable(gate);
  const charts = gateMermaidCharts(gate);
  return [
    head,
    table,
    charts && `<details open><summary>Charts</summary>

${charts}

</details>`
  ].filter(Boolean).join("\n\n");
}
function renderPrComment(view) {
  const sha = view.links.commit?.split("/").at(-1)?.slice(0, 7);
  const footer = [
    sha && view.links.commit ? `commit [\`${sha}\`](${view.links.commit})` : void 0,
    view.links.run ? `[job summary](${view.links.run})` : void 0
  ].filter(Boolean).join(" \xB7 ");
  const body = [
    PR_COMMENT_MARKER,
    `## model-delivery \u2014 ${view.verdict}`,
    trainPart(view),
    gatePart(view),
    footer ? `<sub>Updated for ${footer}. This comment is updated in place on every push.</sub>` : ""
  ].filter(Boolean).join("\n\n");
  return truncateMarkdown(`${body}
`, PR_COMMENT_LIMIT_BYTES);
}

// src/stages/notify.ts
var DEFAULT_DEPS = {
  slack: createSlackClient,
  github: (o) => {
    const octokit = createActionOctokit(o);
    return { issues: octokit.rest.issues, repos: octokit.rest.repos };
  }
};
function withTimeout(work, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${formatDuration(ms)} (notify.timeout)`)),
      ms
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
async function postSlack(ctx, view, deps) {
  const { slack } = ctx.config.notify;
  const webhook = slack.webhook || readSlackWebhook(ctx.env);
  if (!webhook)
    return {
      channel: "slack",
      result: "skipped",
      detail: "no webhook (notify.slack.webhook, the slack-webhook input or SLACK_WEBHOOK_URL)"
    };
  if (ctx.github.eventName?.startsWith("pull_request") && !slack.pullRequests)
    return {
      channel: "slack",
      result: "skipped",
      detail: "a pull request run (notify.slack.pullRequests is false)"
    };
  if (!slack.on.includes(view.outcome))
    return {
      channel: "slack",
      result: "skipped",
      detail: `outcome ${view.outcome} is not in notify.slack.on (${slack.on.join(", ")})`
    };
  ctx.secrets.add(webhook);
  const client = deps.slack({
    url: webhook,
    timeoutMs: slack.timeout,
    retries: slack.retries
  });
  await client.post(renderSlackMessage(view));
  return { channel: "slack", result: "sent", detail: `${view.outcome} message posted` };
}
async function postPrComment(ctx, view, deps) {
  const { github } = ctx;
  if (!github.eventName?.startsWith("pull_request") || github.pullRequestNumber === void 0)
    return { channel: "pr-comment", result: "skipped", detail: "not a pull_request event" };
  if (!ctx.config.notify.prComment)
    return { channel: "pr-comment", result: "skipped", detail: "notify.prComment is false" };
  if (!github.token || !github.repository)
    throw new Error(
      "GITHUB_TOKEN and GITHUB_REPOSITORY are needed for the pull request comment (the action passes github.token)"
    );
  const { owner, repo } = parseRepository(github.repository);
  const done = await withTimeout(
    upsertStickyComment({
      issues: deps.github({ token: github.token, apiUrl: github.apiUrl }).issues,
      owner,
      repo,
      issueNumber: github.pullRequestNumber,
      marker: PR_COMMENT_MARKER,
      body: renderPrComment(view)
    }),
    ctx.config.notify.timeout,
    "the pull request comment"
  );
  return { channel: "pr-comment", result: done.action, detail: done.url };
}
function htmlReport(ctx, view) {
  if (!ctx.config.notify.htmlReport)
    return { channel: "html-report", result: "skipped", detail: "notify.htmlReport is false" };
  const file = writeHtmlReport({ store: ctx.reports, order: PIPELINE_ORDER, view });
  return { channel: "html-report", result: "written", detail: file };
}
async function attempt(channel, work) {
  try {
    return await work();
  } catch (e) {
    return { channel, result: "failed", detail: errorMessage(e) };
  }
}
async function shippingPullRequest(ctx, deps) {
  const { github } = ctx;
  if (github.pullRequestNumber !== void 0 || !github.token || !github.repository || !github.sha)
    return void 0;
  try {
    const { owner, repo } = parseRepository(github.repository);
    const repos = deps.github({ token: github.token, apiUrl: github.apiUrl }).repos;
    const pr = await withTimeout(
      pullRequestOfCommit({ repos, owner, repo, sha: github.sha }),
      ctx.config.notify.timeout,
      "the pull request lookup"
    );
    return pr?.url;
  } catch (e) {
    ctx.log.info(`no pull request link: ${errorMessage(e)}`);
    return void 0;
  }
}
async function runNotify(ctx, deps) {
  const view = buildDeliveryView({
    pullRequestUrl: await shippingPullRequest(ctx, deps),
    reports: ctx.reports.all(),
    github: ctx.github,
    order: PIPELINE_ORDER,
    environment: ctx.config.deploy.environment,
    version: ctx.flags.version
  });
  const results = [
    await attempt("html-report", () => htmlReport(ctx, view)),
    await attempt("pr-comment", () => postPrComment(ctx, view, deps)),
    await attempt("slack", () => postSlack(ctx, view, deps))
  ];
  const failed = results.filter((r) => r.result === "failed");
  const required = ctx.config.notify.required;
  for (const f of failed) {
    const text = `${f.channel}: ${f.detail}`;
    if (required) ctx.log.error(text, { title: "model-delivery notify" });
    else
      ctx.log.warn(`${text} (a warning: notify.required is false)`, {
        title: "model-delivery notify"
      });
  }
  for (const r of results.filter((x) => x.result !== "failed"))
    ctx.log.info(`${r.channel}: ${r.result} (${r.detail})`);
  const failure = failed.length > 0 && required;
  return {
    status: failure ? "failure" : "success",
    reason: failed.length ? "notification_failed" : "notified",
    message: failed.length ? `${failed.map((f) => f.channel).join(", ")} failed${required ? "" : " (warning only)"}; delivery ${view.outcome}` : `delivery ${view.outcome}: ${results.map((r) => `${r.channel} ${r.result}`).join(", ")}`,
    details: {
      outcome: view.outcome,
      verdict: view.verdict,
      warnings: required ? [] : failed.map((f) => `${f.channel}: ${f.detail}`),
      channels: results
    },
    summary: markdownTable(
      ["channel", "result", "detail"],
      results.map((r) => [r.channel, r.result, r.detail])
    )
  };
}
function createNotifyStage(deps = DEFAULT_DEPS) {
  return {
    name: "notify",
    description: "post the delivery to Slack and the pull request, and write the HTML report (from the stage reports)",
    run: (ctx) => runNotify(ctx, deps)
  };
}
var notifyStage = createNotifyStage();
export {
  createNotifyStage,
  notifyStage
};
