// Review and plans in the dashboard: the review badge and plan progress of a card, and the drawer's section with
// acceptance criteria and evidence, and a parent's children with their roll-up. Accepting and rejecting are moves
// of the drawer's action bar (controls.js), like every other status change.
import { h, fill } from './dom.js';
import { STATUS_LABELS } from './store.js';
import { addTaskFormField } from './forms.js';

/** Badges for a card: "review" on a task that needs review, "n/m done" on a parent (a plan). */
export function cardBadges(task) {
  const children = task.children || { total: 0 };
  return [
    task.reviewRequired ? h('span', { class: 'badge review', title: 'Needs review by another agent' }, 'review') : null,
    children.total > 0 ? h('span', {
      class: 'badge plan-progress',
      title: `${children.done} of ${children.total} children done, ${children.open} open, ${children.failed} failed`,
    }, `${children.done}/${children.total} done`) : null,
  ];
}

/** The drawer's review and children section for {@code task}. */
export function reviewSection(task, { api, link }) {
  const criteria = task.acceptanceCriteria || [];
  const evidence = new Map((task.evidence || []).map((e) => [e.criterion, e.text]));
  const section = h('section', { class: 'review', 'aria-labelledby': 'review-h' },
    h('h3', { id: 'review-h' }, 'Review'),
    h('p', { class: 'chips' },
      task.reviewRequired ? h('span', { class: 'badge review' }, 'review required') : h('span', { class: 'muted' }, 'no review required'),
      task.reviewedBy ? h('span', {}, ` reviewed by ${task.reviewedBy}`) : null,
      task.rejections ? h('span', {}, ` · rejected ${task.rejections}×`) : null,
      task.reviewHolder ? h('span', {}, ` · review held by ${task.reviewHolder}`) : null),
    criteria.length ? h('ol', { class: 'criteria', start: '0', 'aria-label': 'Acceptance criteria' },
      criteria.map((c, i) => h('li', { dataset: { criterion: String(i) } },
        h('span', { class: 'criterion' }, c),
        h('span', { class: `evidence${evidence.has(i) ? '' : ' muted'}` }, evidence.has(i) ? `Evidence: ${evidence.get(i)}` : 'no evidence yet'))))
      : null);
  const children = task.children || { total: 0 };
  if (children.total > 0) {
    const list = h('ul', { class: 'children', 'aria-label': 'Children' });
    section.append(h('h3', {}, 'Children'),
      h('p', { class: 'rollup' }, `${children.total} children: ${children.open} open, ${children.done} done, `
        + `${children.failed} failed, ${children.canceled} canceled`),
      h('progress', { max: String(children.total), value: String(children.done), 'aria-label': 'Children done' }),
      list);
    api.get('/tasks', { parentId: task.id, limit: 200 }).then((page) => fill(list,
      page.items.map((c) => h('li', {}, link(c.id, `#${c.id}`), ` ${c.title} `,
        h('span', { class: `status status-${c.status}` }, STATUS_LABELS[c.status] || c.status),
        c.children && c.children.total ? ` (${c.children.done}/${c.children.total} done)` : null))))
      .catch((e) => fill(list, h('li', { class: 'error' }, e.message)));
  }
  return section;
}

/**
 * The review and plan fields of the "New task" form: review required, acceptance criteria (one per line) and
 * the parent task's id. Empty fields send nothing; the server validates and its problem shows in the form.
 */
export function addReviewFormFields() {
  let review, criteria, parent;
  addTaskFormField({
    render: () => {
      review = h('input', { id: 'tf-review', name: 'reviewRequired', type: 'checkbox' });
      return h('div', { class: 'field field-check' }, review, h('label', { for: 'tf-review' }, ' Needs review by another agent'));
    },
    apply: (body) => { if (review.checked) body.reviewRequired = true; },
  });
  addTaskFormField({
    render: () => {
      criteria = h('textarea', { id: 'tf-criteria', name: 'acceptanceCriteria', rows: 3, placeholder: 'one criterion per line' });
      return h('div', { class: 'field' }, h('label', { for: 'tf-criteria' }, 'Acceptance criteria'), criteria);
    },
    apply: (body) => {
      const lines = criteria.value.split('\n').map((l) => l.trim()).filter((l) => l);
      if (lines.length) body.acceptanceCriteria = lines;
    },
  });
  addTaskFormField({
    render: () => {
      parent = h('input', { id: 'tf-parent', name: 'parentId', type: 'number', min: '1', placeholder: 'none' });
      return h('div', { class: 'field' }, h('label', { for: 'tf-parent' }, 'Parent task (id)'), parent);
    },
    apply: (body) => { if (parent.value) body.parentId = Number(parent.value); },
  });
}
