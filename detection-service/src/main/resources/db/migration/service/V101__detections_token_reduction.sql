-- Token reduction setting of the encoder that produced each detection, such as 'pitome ratio=0.85'
-- or 'none'. Rows stored before this column existed keep NULL: their setting was not recorded.
ALTER TABLE detections ADD COLUMN token_reduction TEXT;
