// ipywidgets typesets widget labels with the MathJax 2 API
// (`MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])`); the book loads MathJax 3,
// which has no `Hub`, so that call would throw. Give every object assigned to
// `window.MathJax` (Sphinx's configuration, then MathJax 3 itself) a minimal `Hub`
// that forwards to MathJax 3's `typesetPromise`.
(function () {
  "use strict";

  function elementsIn(args) {
    var found = [];
    Array.prototype.forEach.call(args, function (arg) {
      (Array.isArray(arg) ? arg : [arg]).forEach(function (item) {
        if (item instanceof Element) found.push(item);
      });
    });
    return found;
  }

  var hub = {
    Queue: function () {
      var elements = elementsIn(arguments);
      var mj = window.MathJax;
      // Before MathJax 3 has loaded, its first typeset of the page covers these elements.
      if (!elements.length || !mj || !mj.startup || !mj.startup.promise) return;
      mj.startup.promise = mj.startup.promise
        .then(function () {
          return mj.typesetPromise(elements);
        })
        .catch(function (err) {
          console.error("MathJax typeset of a widget label failed:", err);
        });
    },
  };

  function withHub(value) {
    if (value && typeof value === "object" && !("Hub" in value)) {
      // not enumerable: MathJax does not treat it as a configuration option
      Object.defineProperty(value, "Hub", { value: hub, configurable: true });
    }
    return value;
  }

  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () {
      return current;
    },
    set: function (value) {
      current = withHub(value);
    },
  });
})();
