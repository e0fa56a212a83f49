-- A meeting or a training (培训): trainings are counted apart on the dashboard.
ALTER TABLE meetings ADD COLUMN kind TEXT NOT NULL DEFAULT 'meeting';
