-- Business data of the demo (npm run demo / npm run dev): a customer table the MySQL -> Bitable sync template
-- copies into the emulator's demo "Customers" table. Recreated on every run, so the demo is repeatable.
CREATE TABLE customers (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  external_id VARCHAR(32) NOT NULL,
  name VARCHAR(200) NOT NULL,
  amount DECIMAL(12, 2) NOT NULL DEFAULT 0,
  status VARCHAR(20) NOT NULL DEFAULT 'New',
  active TINYINT(1) NOT NULL DEFAULT 1,
  phone VARCHAR(32) NULL,
  signed_at DATETIME NULL,
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY uq_external_id (external_id),
  KEY ix_updated (updated_at, id)
) DEFAULT CHARSET = utf8mb4;

INSERT INTO customers (external_id, name, amount, status, active, phone, signed_at, updated_at)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
SELECT
  CONCAT('C-', i),
  CONCAT(ELT(1 + i % 5, 'Acme', 'Globex', 'Initech', '华东贸易', '星辰科技'), ' ', i),
  ROUND(100 + i * 37.5, 2),
  ELT(1 + i % 3, 'New', 'Active', 'Closed'),
  i % 4 <> 0,
  CONCAT('+86138', LPAD(i, 8, '0')),
  TIMESTAMP('2025-01-01 09:00:00') + INTERVAL i DAY,
  TIMESTAMP('2025-06-01 08:00:00') + INTERVAL i MINUTE
FROM n;
