// Conditional questions: a question that depends on another answer is hidden until that answer
// is given. Without this script every question shows, with a line saying when to answer it, and
// the server ignores an answer to a question whose condition does not hold.
(function () {
  "use strict";
  var questions = document.querySelectorAll(".question[data-when-question]");
  function chosen(name) {
    var values = [];
    document.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }
  function update() {
    questions.forEach(function (question) {
      var name = "q" + question.getAttribute("data-when-question");
      if (!document.querySelector('[name="' + name + '"]')) { return; }  // answered on an earlier form
      var parent = document.getElementById("question-" + question.getAttribute("data-when-question"));
      var parentShown = !parent || !parent.hidden;
      question.hidden = !(parentShown && chosen(name).indexOf(question.getAttribute("data-when-value")) !== -1);
    });
  }
  if (questions.length) {
    document.addEventListener("change", update);
    // Twice: a question hidden in the first pass hides those that depend on it in the second.
    update();
    update();
  }
})();
